using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Turns;

/// <summary>
/// Asks a chat model, cheaply (a two-token answer, temperature 0), whether the words so far are a finished turn.
/// Selected by configuration (<c>providerData.turn_detection.scorer: "llm"</c>); the session passes its own chat
/// client. The answer arrives asynchronously: the strategy keeps using the heuristics until it does, and a model that
/// errors or takes longer than <see cref="Timeout"/> leaves the heuristics in charge. The transcript goes only to the
/// model the session already talks to; it is never logged.
/// </summary>
public sealed class ChatEndOfTurnScorer(IChatClient chat) : IEndOfTurnScorer
{
    private const string Instructions =
        "You decide whether a speaker on a voice call has finished their turn. You get the words recognised so far, " +
        "without punctuation. Answer 'yes' if they are a complete thought the listener should answer now, or 'no' if " +
        "the speaker is likely to go on (a sentence cut off, a trailing 'and', 'so', 'um', 'I mean', a list in " +
        "progress). Answer with one word: yes or no.";

    private readonly IChatClient _chat = chat ?? throw new ArgumentNullException(nameof(chat));

    public string Name => "llm";

    /// <summary>Longest wait for the model's answer (default 1.5 s, below high eagerness' 2 s bound).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(1500);

    public async ValueTask<float?> ScoreAsync(EndOfTurnContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(context.Transcript))
        {
            return HeuristicEndOfTurnScorer.Score(context.Transcript, context.Prosody);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        ChatMessage[] messages = [new(ChatRole.System, Instructions), new(ChatRole.User, context.Transcript)];
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 2 };
        try
        {
            var response = await _chat.GetResponseAsync(messages, options, timeout.Token).ConfigureAwait(false);
            return Parse(response.Text);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // too slow: the heuristics keep deciding
        }
    }

    /// <summary>Reads the model's one-word answer: yes means complete (0.95), no means unfinished (0.05).</summary>
    public static float? Parse(string? answer)
    {
        var text = (answer ?? string.Empty).Trim().TrimStart('"', '\'', '*').ToUpperInvariant();
        if (text.StartsWith("YES", StringComparison.Ordinal))
        {
            return 0.95f;
        }

        if (text.StartsWith("NO", StringComparison.Ordinal))
        {
            return 0.05f;
        }

        return null;
    }
}

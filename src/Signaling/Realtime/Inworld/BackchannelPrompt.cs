using Microsoft.Extensions.AI;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>
/// The <c>llm</c> back-channel decider's question and the reading of its answer. The model sees the recent
/// conversation and what the user has said so far in this turn, and answers with one allowed phrase or NONE.
/// A <c>prompt_template</c> replaces the instruction; <c>{phrases}</c>, <c>{history}</c> and <c>{transcript}</c> in it
/// are filled in.
/// </summary>
public static class BackchannelPrompt
{
    private const string DefaultTemplate =
        "You are listening to a person who is still talking. Decide whether a short spoken acknowledgement now would " +
        "sound natural and supportive without interrupting. Answer with exactly one of: {phrases}, or NONE.";

    public static List<ChatMessage> Build(BackchannelSettings settings, string history, string transcriptSoFar)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string phrases = string.Join(", ", settings.AllowedPhrases);
        string instruction = (settings.PromptTemplate ?? DefaultTemplate)
            .Replace("{phrases}", phrases, StringComparison.Ordinal)
            .Replace("{history}", history, StringComparison.Ordinal)
            .Replace("{transcript}", transcriptSoFar, StringComparison.Ordinal);
        var user = (history.Length > 0 ? "Conversation so far:\n" + history + "\n\n" : string.Empty) +
                   "The user is saying: \"" + transcriptSoFar + "\"";
        return [new ChatMessage(ChatRole.System, instruction), new ChatMessage(ChatRole.User, user)];
    }

    /// <summary>The allowed phrase the answer names (case and punctuation ignored), or null for NONE or anything else.</summary>
    public static string? Read(BackchannelSettings settings, string? answer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(answer)) return null;
        string cleaned = Normalize(answer);
        if (cleaned.StartsWith("none", StringComparison.Ordinal)) return null;
        foreach (var phrase in settings.AllowedPhrases)
        {
            if (cleaned.Contains(Normalize(phrase), StringComparison.Ordinal)) return phrase;
        }

        return null;
    }

    private static string Normalize(string text) =>
        new([.. text.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-')]);
}

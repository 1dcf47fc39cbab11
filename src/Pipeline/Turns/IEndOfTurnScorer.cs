namespace MediaServer.Pipeline.Turns;

/// <summary>
/// Judges, at a pause in the user's speech, how likely it is that the user has finished their turn. The
/// <c>semantic_vad</c> strategy (<see cref="EagernessTurnEndStrategy"/>) turns the answer into how much more silence
/// to wait for: the eagerness' short pause when surely complete, its longest wait (8 s, 4 s, 2 s) when surely not.
/// </summary>
/// <remarks>
/// The default, <see cref="HeuristicEndOfTurnScorer"/>, reads the last words of the streaming transcript and the final
/// pitch movement and answers synchronously. A model (an ONNX classifier, or the session's LLM asked cheaply, see
/// <see cref="ChatEndOfTurnScorer"/>) replaces it by configuration; a scorer that answers asynchronously is asked once
/// per pause (and again when the transcript changes), and the strategy uses its fallback's answer until it returns.
/// Implementations never log the transcript (personal data).
/// </remarks>
public interface IEndOfTurnScorer
{
    /// <summary>Name used in configuration (<c>heuristic</c>, <c>llm</c>, ...).</summary>
    string Name { get; }

    /// <summary>
    /// The probability, 0 to 1, that the turn is complete; null when the scorer has no evidence (the strategy then
    /// treats the turn as complete, as <c>server_vad</c> would).
    /// </summary>
    ValueTask<float?> ScoreAsync(EndOfTurnContext context, CancellationToken cancellationToken);
}

/// <summary>What is known at a pause: the streaming transcript so far, the final pitch movement and the timing.</summary>
/// <param name="Transcript">The recogniser's partial hypothesis (whole, not a delta); empty when nothing is recognised yet.</param>
/// <param name="Prosody">How the pitch moved over the last voiced stretch before the pause.</param>
/// <param name="SpeechMs">Length of the turn so far, onset to the last speech frame.</param>
/// <param name="SilenceMs">Silence since the last speech frame when the question was asked.</param>
public sealed record EndOfTurnContext(string Transcript, FinalProsody Prosody, int SpeechMs, int SilenceMs);

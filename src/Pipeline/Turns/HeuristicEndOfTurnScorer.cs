namespace MediaServer.Pipeline.Turns;

/// <summary>
/// The default end-of-turn scorer: the words (<see cref="TranscriptCompletionHeuristic"/>) decide, the final pitch
/// movement (<see cref="FinalPitchTracker"/>) nudges. Words dominate because a trailing "and" or "um" holds the turn
/// whatever the pitch does; pitch breaks the tie when the recogniser has nothing yet, and stretches the wait a little
/// after a complete-sounding sentence said with a level or rising end (on the corpus, every hold that words
/// missed ended level, while most complete turns ended falling; see EndOfTurnCorpusTests). A finished question is
/// complete whatever its final pitch does (yes/no questions rise, wh-questions often end level).
/// </summary>
public sealed class HeuristicEndOfTurnScorer : IEndOfTurnScorer
{
    /// <summary>Shared instance: the scorer has no state.</summary>
    public static HeuristicEndOfTurnScorer Instance { get; } = new();

    public string Name => "heuristic";

    public ValueTask<float?> ScoreAsync(EndOfTurnContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Score(context.Transcript, context.Prosody));

    /// <summary>The synchronous score; see the class remarks.</summary>
    public static float? Score(string transcript, FinalProsody prosody)
    {
        float? words = TranscriptCompletionHeuristic.Estimate(transcript);
        float adjust = prosody.Movement switch
        {
            PitchMovement.Falling => 0.08f,
            PitchMovement.Level => -0.2f,
            PitchMovement.Rising => -0.25f,
            _ => 0f,
        };

        if (words is null)
        {
            // Nothing recognised yet: pitch alone, weakly; no evidence at all means complete (server_vad's behaviour).
            return prosody.Movement switch
            {
                PitchMovement.Falling => 0.85f,
                PitchMovement.Level => 0.5f,
                PitchMovement.Rising => 0.4f,
                _ => null,
            };
        }

        if (words >= TranscriptCompletionHeuristic.Complete && prosody.Movement != PitchMovement.Falling
            && TranscriptCompletionHeuristic.StartsLikeQuestion(transcript))
        {
            return TranscriptCompletionHeuristic.Complete;
        }

        return Math.Clamp(words.Value + adjust, 0f, 1f);
    }
}

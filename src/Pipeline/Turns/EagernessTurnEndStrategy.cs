namespace MediaServer.Pipeline.Turns;

/// <summary>
/// <c>semantic_vad</c> without a semantic model yet: the turn ends after the eagerness' silence duration, stretched
/// toward its maximum wait when something (a later end-of-turn classifier reading the partial transcript) sets
/// <see cref="CompletionProbability"/> low. With no estimate, the turn is taken as complete.
/// </summary>
public sealed class EagernessTurnEndStrategy(EagernessPolicy policy) : ITurnEndStrategy
{
    public EagernessPolicy Policy { get; } = policy;

    /// <summary>Probability, 0 to 1, that what the user said so far is a complete turn; null when unknown.
    /// Cleared at the start of each turn.</summary>
    public float? CompletionProbability { get; set; }

    public bool ShouldEndTurn(int silenceMs, int speechMs) =>
        silenceMs >= Policy.RequiredSilenceMs(CompletionProbability ?? 1f);

    public void Reset() => CompletionProbability = null;
}

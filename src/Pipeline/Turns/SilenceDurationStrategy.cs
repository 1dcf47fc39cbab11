namespace MediaServer.Pipeline.Turns;

/// <summary><c>server_vad</c>'s rule: the turn ends after <c>silence_duration_ms</c> of silence.</summary>
public sealed class SilenceDurationStrategy : ITurnEndStrategy
{
    public SilenceDurationStrategy(int silenceDurationMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(silenceDurationMs);
        SilenceDurationMs = silenceDurationMs;
    }

    public int SilenceDurationMs { get; }

    public bool ShouldEndTurn(int silenceMs, int speechMs) => silenceMs >= SilenceDurationMs;

    public void Reset()
    {
    }
}

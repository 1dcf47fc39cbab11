namespace MediaServer.Pipeline.Turns;

/// <summary>
/// The parameters of OpenAI's <c>server_vad</c> turn detection (REALTIME-PROTOCOL.md §2) plus two of our own that
/// OpenAI does not expose. Defaults are OpenAI's.
/// </summary>
public sealed record ServerVadOptions
{
    /// <summary><c>threshold</c>, 0 to 1 (default 0.5): a frame whose speech probability reaches it is speech.
    /// Higher needs louder or clearer speech.</summary>
    public float Threshold { get; init; } = 0.5f;

    /// <summary><c>prefix_padding_ms</c> (default 300): audio kept before the detected onset, reported through
    /// <c>audio_start_ms</c>.</summary>
    public int PrefixPaddingMs { get; init; } = 300;

    /// <summary><c>silence_duration_ms</c> (default 500): silence that ends the turn.</summary>
    public int SilenceDurationMs { get; init; } = 500;

    /// <summary>Speech must last this long without a break before the turn starts (default 100 ms, five frames),
    /// so clicks, coughs and keyboard taps do not interrupt the agent.</summary>
    public int MinSpeechDurationMs { get; init; } = 100;

    /// <summary>Once speaking, a frame counts as silence only below <c>Threshold - this</c> (default 0.15, as in
    /// Silero's reference <c>get_speech_timestamps</c>), so a probability hovering at the threshold does not chatter.</summary>
    public float ReleaseHysteresis { get; init; } = 0.15f;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (Threshold is < 0f or > 1f || float.IsNaN(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "Must be between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(PrefixPaddingMs);
        ArgumentOutOfRangeException.ThrowIfNegative(SilenceDurationMs);
        ArgumentOutOfRangeException.ThrowIfNegative(MinSpeechDurationMs);
        if (ReleaseHysteresis is < 0f or > 1f || float.IsNaN(ReleaseHysteresis))
        {
            throw new ArgumentOutOfRangeException(nameof(ReleaseHysteresis), ReleaseHysteresis, "Must be between 0 and 1.");
        }
    }
}

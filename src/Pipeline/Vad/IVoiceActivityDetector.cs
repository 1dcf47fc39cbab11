namespace MediaServer.Pipeline.Vad;

/// <summary>
/// Scores 20 ms frames of 16 kHz mono PCM for speech. One instance per audio stream (it holds that stream's
/// state); <see cref="Process"/> never allocates.
/// </summary>
public interface IVoiceActivityDetector : IDisposable
{
    /// <summary>Feeds one 20 ms frame (320 samples at 16 kHz) and returns the current speech probability, 0 to 1.</summary>
    float Process(ReadOnlySpan<short> frame);

    /// <summary>Forgets the stream's state.</summary>
    void Reset();
}

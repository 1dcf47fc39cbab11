namespace MediaServer.Pipeline.Profile;

/// <summary>
/// Analyses one user turn. Not thread-safe: one writer (the media loop) calls <see cref="Write"/>, then
/// <see cref="Snapshot"/> or <see cref="Complete"/> from the same logical flow. Dispose returns pooled buffers.
/// </summary>
public interface IVoiceProfileAnalyzer : IDisposable
{
    /// <summary>Feeds 16 kHz mono PCM, normally 20 ms (320 sample) frames; any length is accepted. Allocation-free.
    /// Audio after <see cref="Complete"/> is ignored.</summary>
    void Write(ReadOnlySpan<short> pcm16k);

    /// <summary>A profile of the audio so far (for transcription deltas); does not touch the baseline.</summary>
    VoiceProfile Snapshot(string transcriptSoFar);

    /// <summary>The profile of the whole turn; updates the speaker baseline and releases the buffers.
    /// Calling it again returns the same profile.</summary>
    VoiceProfile Complete(string transcript);
}

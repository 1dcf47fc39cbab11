namespace MediaServer.Pipeline.Stt;

/// <summary>A speech recognition engine. Thread-safe: each utterance gets its own stream.</summary>
public interface ISpeechToText
{
    /// <summary>Engine name as shown to clients (for example <c>pocketsphinx</c>).</summary>
    string Name { get; }

    /// <summary>Starts recognising one utterance.</summary>
    ISpeechRecognitionStream StartUtterance(TranscriptionRequest request);
}

/// <summary>What the session asked for in <c>audio.input.transcription</c>.</summary>
public sealed record TranscriptionRequest(string? Model, string? Language, string? Prompt)
{
    /// <summary>
    /// A stable key for the audio source, such as the session id. Engines that adapt to the channel (pocketsphinx
    /// adapts its cepstral mean over utterances) give later utterances of the same source the state adapted to
    /// it; null means any.
    /// </summary>
    public string? Affinity { get; init; }
}

/// <summary>One utterance being recognised. Not thread-safe: one writer at a time.</summary>
public interface ISpeechRecognitionStream : IDisposable
{
    /// <summary>Feeds 16 kHz mono 16-bit PCM, any length.</summary>
    void Write(ReadOnlySpan<short> pcm16k);

    /// <summary>The whole hypothesis so far (not a delta), or empty when nothing is recognised yet.</summary>
    string Partial { get; }

    /// <summary>
    /// How far <see cref="Partial"/> trails the audio written, in milliseconds: audio written but not yet reflected in
    /// it. An engine that keeps up answers a few hundred milliseconds at most; a loaded one falls behind, and a
    /// decision taken on its partial (is the turn complete?) would judge words older than the pause.
    /// </summary>
    int PartialLagMs => 0;

    /// <summary>Ends the utterance and returns the final transcript.</summary>
    Task<string> CompleteAsync(CancellationToken cancellationToken);
}

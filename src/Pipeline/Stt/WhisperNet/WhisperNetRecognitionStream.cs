namespace MediaServer.Pipeline.Stt.WhisperNet;

/// <summary>One turn for <see cref="WhisperNetSpeechToText"/>: audio collects, and is recognised when the turn completes.</summary>
internal sealed class WhisperNetRecognitionStream(WhisperNetSpeechToText engine, TranscriptionRequest request) : ISpeechRecognitionStream
{
    private readonly UtteranceBuffer _audio = new((int)(engine.Options.MaxUtteranceSeconds * 16_000));
    private bool _disposed;

    public string Partial => string.Empty;

    public void Write(ReadOnlySpan<short> pcm16k)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _audio.Append(pcm16k);
    }

    public Task<string> CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_audio.Count == 0) return Task.FromResult(string.Empty);
        var samples = _audio.Samples;
        var floats = new float[samples.Length];
        for (int i = 0; i < samples.Length; i++) floats[i] = samples[i] / 32768f;
        return engine.RecogniseAsync(floats, request, cancellationToken);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _audio.Dispose();
    }
}

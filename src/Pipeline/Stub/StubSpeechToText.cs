using MediaServer.Pipeline.Stt;

namespace MediaServer.Pipeline.Stub;

/// <summary>
/// A recogniser that hears nothing and answers every turn with the same word: with <see cref="StubTextToSpeech"/>
/// it takes the engines' cost out of a load measurement so what remains is the media path's own (transport,
/// jitter buffer, resampling, VAD, turn detection, pacing). Selected by <c>MediaServer:Engines:Stub=true</c>;
/// never a default.
/// </summary>
public sealed class StubSpeechToText(string transcript = StubSpeechToText.DefaultTranscript) : ISpeechToText
{
    public const string DefaultTranscript = "hello";

    public string Name => "stub";

    public ISpeechRecognitionStream StartUtterance(TranscriptionRequest request) => new Stream(transcript);

    private sealed class Stream(string transcript) : ISpeechRecognitionStream
    {
        public string Partial => string.Empty;

        public void Write(ReadOnlySpan<short> pcm16k)
        {
        }

        public Task<string> CompleteAsync(CancellationToken cancellationToken) => Task.FromResult(transcript);

        public void Dispose()
        {
        }
    }
}

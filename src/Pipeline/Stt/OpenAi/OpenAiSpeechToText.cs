using MediaServer.Pipeline.Audio;

namespace MediaServer.Pipeline.Stt.OpenAi;

/// <summary>
/// Speech recognition through an OpenAI-compatible transcription endpoint. The API takes a whole file, so an
/// utterance is buffered while the user speaks and sent when the turn ends; there is no partial transcript
/// (semantic end-of-turn falls back to acoustics and prosody, as it does before any word is recognised).
/// </summary>
public sealed class OpenAiSpeechToText : ISpeechToText
{
    public const string EngineName = "openai";

    private readonly HttpClient _http;

    /// <param name="options">Endpoint, key and model.</param>
    /// <param name="http">Shared client; the engine owns it when null is passed (one per process is enough).</param>
    public OpenAiSpeechToText(OpenAiSpeechToTextOptions options, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        Endpoint = ApiEndpoint.Resolve(options.BaseUrl, "/audio/transcriptions", "MediaServer:Stt:Cloud:BaseUrl");
    }

    public string Name => EngineName;

    internal OpenAiSpeechToTextOptions Options { get; }

    internal Uri Endpoint { get; }

    internal HttpClient Http => _http;

    public ISpeechRecognitionStream StartUtterance(TranscriptionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OpenAiRecognitionStream(this, request);
    }

    /// <summary>
    /// The provider model for a session's <c>transcription.model</c>: its own when it names one, the configured one
    /// when it names none or one of this server's engines (<c>pocketsphinx</c> is the default a new session gets,
    /// <c>MediaServer:Realtime:DefaultTranscriptionModel</c>, and no provider knows it).
    /// </summary>
    internal string ModelFor(TranscriptionRequest request) =>
        string.IsNullOrWhiteSpace(request.Model) || LocalEngineNames.Contains(request.Model.Trim())
            ? Options.Model
            : request.Model.Trim();

    private static readonly HashSet<string> LocalEngineNames = new(StringComparer.OrdinalIgnoreCase) { EngineName, "pocketsphinx", "whisper" };
}

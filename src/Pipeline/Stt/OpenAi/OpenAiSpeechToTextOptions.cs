namespace MediaServer.Pipeline.Stt.OpenAi;

/// <summary>
/// A cloud speech recogniser that speaks OpenAI's transcription API (<c>POST {BaseUrl}/audio/transcriptions</c>,
/// multipart form with the audio as a WAV file): OpenAI itself, Groq, a local faster-whisper or whisper.cpp server,
/// any service that copies that endpoint. Bound from <c>MediaServer:Stt:Cloud</c>; used when
/// <c>MediaServer:Stt:Engine</c> is <c>openai</c>.
/// </summary>
public sealed class OpenAiSpeechToTextOptions
{
    /// <summary>API base URL including the version path, for example <c>https://api.openai.com/v1</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.openai.com/v1";

    /// <summary>Sent as a bearer token; never logged. Empty sends no Authorization header (a local server).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The provider's model, sent when the session names none of its own (OpenAI's realtime names such as
    /// <c>gpt-4o-transcribe</c> pass through as they are).
    /// </summary>
    public string Model { get; set; } = "gpt-4o-mini-transcribe";

    /// <summary>How long one turn's request may take before the turn's transcription fails.</summary>
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Longest utterance sent, in seconds of 16 kHz audio (OpenAI takes files up to 25 MB, about 13 minutes of it);
    /// audio past it is dropped and the transcript covers the start.
    /// </summary>
    public double MaxUtteranceSeconds { get; set; } = 600;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model)) throw new ArgumentException("MediaServer:Stt:Cloud:Model is empty.");
        if (TimeoutSeconds is <= 0 or > 600) throw new ArgumentException("MediaServer:Stt:Cloud:TimeoutSeconds must be in (0, 600].");
        if (MaxUtteranceSeconds is <= 0 or > 800) throw new ArgumentException("MediaServer:Stt:Cloud:MaxUtteranceSeconds must be in (0, 800].");
    }
}

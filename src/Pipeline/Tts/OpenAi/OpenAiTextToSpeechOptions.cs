namespace MediaServer.Pipeline.Tts.OpenAi;

/// <summary>
/// A cloud speech synthesiser that speaks OpenAI's speech API (<c>POST {BaseUrl}/audio/speech</c>, raw 24 kHz PCM
/// streamed back): OpenAI itself or any service that copies that endpoint (a local Kokoro or Piper server, for
/// instance). Bound from <c>MediaServer:Tts:Cloud</c>; used when <c>MediaServer:Tts:Engine</c> is <c>openai</c>.
/// </summary>
public sealed class OpenAiTextToSpeechOptions
{
    /// <summary>API base URL including the version path, for example <c>https://api.openai.com/v1</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.openai.com/v1";

    /// <summary>Sent as a bearer token; never logged. Empty sends no Authorization header (a local server).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The provider's speech model.</summary>
    public string Model { get; set; } = "gpt-4o-mini-tts";

    /// <summary>The voice when the session names none.</summary>
    public string Voice { get; set; } = "alloy";

    /// <summary>
    /// Send the span's prosody (softly, whispering, slowly, higher) as the request's <c>instructions</c>, which
    /// OpenAI's <c>gpt-4o-mini-tts</c> follows. Turn off for a service that rejects the field.
    /// </summary>
    public bool SendInstructions { get; set; } = true;

    /// <summary>
    /// How long a sentence's request may wait for its answer, or for more audio once it streams, before the response
    /// fails.
    /// </summary>
    public double TimeoutSeconds { get; set; } = 30;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model)) throw new ArgumentException("MediaServer:Tts:Cloud:Model is empty.");
        if (string.IsNullOrWhiteSpace(Voice)) throw new ArgumentException("MediaServer:Tts:Cloud:Voice is empty.");
        if (TimeoutSeconds is <= 0 or > 600) throw new ArgumentException("MediaServer:Tts:Cloud:TimeoutSeconds must be in (0, 600].");
    }
}

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>Limits and defaults for realtime sessions (configuration section <c>MediaServer:Realtime</c>).</summary>
public sealed class RealtimeSessionOptions
{
    /// <summary>Instructions a session starts with when the client gives none.</summary>
    public string DefaultInstructions { get; set; } =
        "You are a helpful, friendly voice assistant. Keep answers short and conversational.";

    /// <summary>Voice a session starts with.</summary>
    public string DefaultVoice { get; set; } = "marin";

    /// <summary>Transcription model a session starts with (null: no transcription events until the client asks).</summary>
    public string? DefaultTranscriptionModel { get; set; } = "pocketsphinx";

    /// <summary>Largest client message accepted, in bytes (OpenAI allows 15 MiB of audio per append).</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Longest uncommitted input audio, in seconds (5 minutes: about 9.6 MB at the pipeline's 16 kHz, and more than the
    /// largest 24 kHz PCM append, 12 MiB of audio in a 16 MiB message, carries). With manual turns an append that would go past it is refused
    /// with <c>input_audio_buffer_full</c> and the buffered audio is kept; under turn detection a turn longer than this
    /// keeps its latest audio.
    /// </summary>
    public int MaxInputBufferSeconds { get; set; } = 300;

    /// <summary>Sessions one API key may hold open at once; more are refused with HTTP 429.</summary>
    public int MaxSessionsPerKey { get; set; } = 20;

    /// <summary>
    /// Requests per API key per second, shared by all of the key's sessions: HTTP API requests made with the key (or
    /// its ephemeral secrets) and the responses its sessions start. Over it: HTTP 429 with <c>Retry-After</c>, or an
    /// <c>error</c> event <c>rate_limit_exceeded</c> in a session.
    /// </summary>
    public int RequestsPerSecondPerKey { get; set; } = 1000;

    /// <summary>Longest session or call, in minutes (OpenAI: 60); fractions are allowed.</summary>
    public double MaxSessionMinutes { get; set; } = 60;

    /// <summary>
    /// How long before the end of a session a <c>session.expiring</c> event warns the client (an extension event,
    /// so an agent can wrap up or reconnect in time). 0 sends no warning.
    /// </summary>
    public int SessionExpiryWarningSeconds { get; set; } = 60;

    /// <summary>Sessions and calls of every transport held at once by this server; more are refused with 503.</summary>
    public int MaxConcurrentSessions { get; set; } = 500;

    /// <summary>
    /// How a sound heard while the agent speaks is judged (section <c>MediaServer:Realtime:BargeIn</c>): interruption
    /// length and words, echo similarity and delay; per-session switches are under <c>turn_detection</c>.
    /// </summary>
    public MediaServer.Pipeline.Interruptions.BargeInOptions BargeIn { get; set; } = new();

    /// <summary>Audio per <c>response.output_audio.delta</c> event, in milliseconds.</summary>
    public int AudioDeltaMilliseconds { get; set; } = 100;

    /// <summary>Server-run tools (MCP, web search), the tool-wait filler and the context budget.</summary>
    public Tools.RealtimeToolOptions Tools { get; set; } = new();
}

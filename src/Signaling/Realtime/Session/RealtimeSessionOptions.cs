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

    /// <summary>Longest uncommitted input audio kept, in seconds; older audio is dropped from the buffer.</summary>
    public int MaxInputBufferSeconds { get; set; } = 300;

    /// <summary>Sessions one API key may hold open at once; more are refused with HTTP 429.</summary>
    public int MaxSessionsPerKey { get; set; } = 20;

    /// <summary>Requests (responses) per API key per minute, shared by all of the key's sessions.</summary>
    public int RequestsPerMinutePerKey { get; set; } = 1000;

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

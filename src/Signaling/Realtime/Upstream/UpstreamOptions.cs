namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>
/// Speech-to-speech upstreams (configuration section <c>MediaServer:Upstream</c>): OpenAI-Realtime-compatible
/// services that a session can hand its whole engine to. A session reaches one by its <c>model</c>:
/// <c>&lt;provider&gt;/&lt;model&gt;</c> names a configured provider (and overrides its model), and when
/// <see cref="Default"/> is set, the default model ids (empty, <c>gpt-realtime*</c>, <c>offline</c>) go there too,
/// so every SIP and WebRTC caller reaches the upstream through our media path.
/// </summary>
public sealed class UpstreamOptions
{
    /// <summary>Provider that sessions with a default model id use; null keeps them on the embedded engines.</summary>
    public string? Default { get; set; }

    /// <summary>Providers by name (the part before the slash of a model id), compared case-insensitively.</summary>
    public Dictionary<string, UpstreamProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One upstream Realtime service.</summary>
public sealed class UpstreamProviderOptions
{
    /// <summary>
    /// WebSocket URL: <c>wss://api.openai.com/v1/realtime</c> (the <c>model</c> query is added for the openai
    /// dialect) or <c>wss://api.inworld.ai/api/v1/realtime/session</c> (<c>key</c> and <c>protocol</c> are added).
    /// </summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>API key; sent as <see cref="Auth"/> says. Empty sends no Authorization header.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>bearer</c> (OpenAI, JWTs) or <c>basic</c> (Inworld's portal key, already Base64, sent as is).</summary>
    public string Auth { get; set; } = "bearer";

    /// <summary>
    /// <c>openai</c>: model in the URL, no <c>providerData</c>. <c>inworld</c>: model in <c>session.update</c>,
    /// <c>providerData</c> forwarded, a generated session key in the URL.
    /// </summary>
    public string Dialect { get; set; } = "openai";

    /// <summary>Upstream model, used when the session's model id names only the provider (or is a default id).</summary>
    public string Model { get; set; } = "gpt-realtime";

    /// <summary>
    /// Who decides when the user's turn ends. <c>local</c>: our VAD and turn detector (and barge-in) decide; the
    /// upstream gets <c>turn_detection: null</c>, the speech with its prefix padding, then
    /// <c>input_audio_buffer.commit</c> + <c>response.create</c>, and <c>response.cancel</c> on barge-in.
    /// <c>upstream</c>: all audio is forwarded and the upstream's server/semantic VAD decides; its
    /// <c>speech_started</c> cuts our playback.
    /// </summary>
    public string TurnDetection { get; set; } = "upstream";

    /// <summary>
    /// Transcription model sent upstream in place of the session's (whose default names an embedded engine the
    /// upstream does not know, e.g. <c>pocketsphinx</c>). Null forwards the session's model unchanged.
    /// </summary>
    public string? TranscriptionModel { get; set; }

    /// <summary>Longest wait for the upstream's WebSocket handshake (default 10 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Caller audio per <c>input_audio_buffer.append</c> sent upstream, in ms (default 40: two frames).</summary>
    public int AppendMilliseconds { get; set; } = 40;

    internal bool LocalTurns => string.Equals(TurnDetection, "local", StringComparison.OrdinalIgnoreCase);

    internal bool IsInworld => string.Equals(Dialect, "inworld", StringComparison.OrdinalIgnoreCase);
}

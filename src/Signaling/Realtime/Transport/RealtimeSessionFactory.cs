using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Session;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.Realtime.Transport;

/// <summary>Creates sessions with the server's defaults, a client secret's bound config and the URL's model.</summary>
public sealed class RealtimeSessionFactory(
    RealtimeEngines engines,
    Limits.KeyRateLimiter rateLimiter,
    IOptions<RealtimeSessionOptions> options,
    ILoggerFactory loggerFactory,
    TimeProvider time)
{
    public RealtimeSessionOptions Options => options.Value;

    /// <summary>
    /// What the default instructions teach the model: the expressive tags the TTS renders, and the voice notes that
    /// describe how the user spoke. A session's own instructions replace all of it.
    /// </summary>
    public static string DefaultPromptAdditions { get; } =
        MediaServer.Pipeline.Expressive.ExpressiveTagVocabulary.DescribeForPrompt() + "\n" +
        "Before a user message you may get a system note saying how it was said (emotion, style, pitch, speaking rate). " +
        "Match your tone to it: answer a whisper softly, an excited voice warmly; never read the note aloud.";

    /// <summary>The default session config (what <c>session.created</c> shows before any update).</summary>
    public SessionConfig DefaultConfig(string? model)
    {
        var o = options.Value;
        return new SessionConfig
        {
            Model = string.IsNullOrEmpty(model) ? "gpt-realtime" : model,
            Instructions = o.DefaultInstructions + "\n" + DefaultPromptAdditions,
            Voice = o.DefaultVoice,
            Transcription = o.DefaultTranscriptionModel is null ? null : new TranscriptionConfig(o.DefaultTranscriptionModel, null, null),
            ExpiresAt = time.GetUtcNow().AddMinutes(o.MaxSessionMinutes).ToUnixTimeSeconds(),
        };
    }

    /// <summary>Creates a session; its responses count against <paramref name="key"/>'s request rate.</summary>
    public RealtimeSession Create(SessionConfig config, IRealtimeEventSink sink, string key, ICallMediaLeg? leg = null)
    {
        config.ExpiresAt = time.GetUtcNow().AddMinutes(options.Value.MaxSessionMinutes).ToUnixTimeSeconds();
        var logger = loggerFactory.CreateLogger("Signaling.Realtime");
        return new RealtimeSession(config, engines, sink, options.Value, logger, leg,
            () => rateLimiter.TryAcquire(key, out var state) ? state : null);
    }
}

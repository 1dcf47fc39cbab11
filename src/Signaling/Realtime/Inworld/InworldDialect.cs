using MediaServer.Signaling.Realtime.Session;
using Microsoft.AspNetCore.Http;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>
/// What a socket opened on Inworld's URL (<c>/api/v1/realtime/session?key=&lt;session-id&gt;&amp;protocol=realtime</c>,
/// REALTIME-PROTOCOL.md §6.1) changes: the client-generated <c>key</c> becomes the session id when it is a sane
/// identifier not already in use, and transcription deltas are rolling (the whole transcript so far, as Inworld sends
/// them) rather than OpenAI's additive pieces. <c>protocol</c> is accepted; only <c>realtime</c> exists.
/// </summary>
public static class InworldDialect
{
    /// <summary>Inworld's WebSocket path.</summary>
    public const string SessionPath = "/api/v1/realtime/session";

    /// <summary>Longest client-generated session id taken as ours.</summary>
    public const int MaxKeyLength = 128;

    /// <summary>True for a request on Inworld's session path.</summary>
    public static bool IsInworldRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments(SessionPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>Applies the dialect to a new session's config when the request came in on Inworld's path.</summary>
    /// <param name="idInUse">Whether a live session already has an id (a taken key is not reused).</param>
    public static void Apply(HttpContext context, SessionConfig config, Func<string, bool> idInUse)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(config);
        if (!IsInworldRequest(context)) return;
        config.RollingTranscriptionDeltas = true;
        string? key = context.Request.Query["key"];
        if (IsSaneKey(key) && !idInUse(key!)) config.Id = key!;
    }

    /// <summary>Letters, digits, <c>-</c>, <c>_</c>, <c>.</c> and <c>:</c>, 1 to <see cref="MaxKeyLength"/> characters:
    /// safe in logs, URLs and JSON, and unlike an API key (which is never put in the query).</summary>
    public static bool IsSaneKey(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength) return false;
        foreach (char c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')) return false;
        }

        return true;
    }
}

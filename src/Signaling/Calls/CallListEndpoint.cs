using System.Text.Json;
using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.AspNetCore.Http;

namespace MediaServer.Signaling.Calls;

/// <summary>
/// <c>GET /v1/realtime/calls</c>: every live call and WebSocket session, for the operations console: transport,
/// codec, duration, media counters and whether the agent is speaking.
/// </summary>
public sealed class CallListEndpoint(RealtimeAuthenticator authenticator, CallRegistry calls, SessionRegistry sessions, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        var auth = authenticator.Authenticate(context, EphemeralKeyUse.Refused);
        if (!auth.Success)
        {
            await RealtimeWebSocketHandler.WriteErrorAsync(context, 401, "invalid_request_error", auth.Code!, auth.Message!).ConfigureAwait(false);
            return;
        }

        var now = time.GetUtcNow();
        context.Response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(context.Response.Body);
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        foreach (var call in calls.Calls.OrderBy(c => c.StartedAt))
        {
            w.WriteStartObject();
            w.WriteString("id", call.CallId);
            w.WriteString("transport", call.Transport);
            w.WriteString("codec", call.Control.Media.Codec);
            w.WriteNumber("started_at", call.StartedAt.ToUnixTimeSeconds());
            w.WriteNumber("duration_ms", (long)(now - call.StartedAt).TotalMilliseconds);
            w.WriteString("session_id", call.Session?.Id);
            w.WriteString("status", call.Session is null ? "ringing" : "active");
            w.WriteBoolean("agent_speaking", call.Control.Media.QueuedOutput > TimeSpan.Zero);
            var stats = call.MediaStats;
            if (stats is not null)
            {
                w.WriteStartObject("stats");
                w.WriteNumber("packets_received", stats.PacketsReceived);
                w.WriteNumber("packets_sent", stats.PacketsSent);
                w.WriteNumber("packets_lost", stats.PacketsLost);
                w.WriteNumber("jitter_ms", Math.Round(stats.JitterMs, 2));
                w.WriteNumber("bytes_received", stats.BytesReceived);
                w.WriteNumber("bytes_sent", stats.BytesSent);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        foreach (var session in sessions.Sessions)
        {
            w.WriteStartObject();
            w.WriteString("id", session.Id);
            w.WriteString("transport", "websocket");
            w.WriteString("codec", session.Config.InputFormat.TypeName);
            w.WriteString("session_id", session.Id);
            w.WriteString("status", "active");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}

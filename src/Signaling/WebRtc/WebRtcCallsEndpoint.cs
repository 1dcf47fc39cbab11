using System.Text;
using System.Text.Json;
using MediaServer.Rtc.Sdp;
using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.AspNetCore.Http;

namespace MediaServer.Signaling.WebRtc;

/// <summary>
/// <c>POST /v1/realtime/calls</c> (REALTIME-PROTOCOL.md §1.3): the browser's SDP offer as <c>application/sdp</c>, or a
/// multipart form with <c>sdp</c> and <c>session</c>, answered <c>201</c> with the SDP answer and
/// <c>Location: /v1/realtime/calls/{call_id}</c>; or Inworld's JSON <c>{sdp, session}</c> answered with JSON
/// <c>{id, sdp, ice_servers}</c>. The session starts at once; its events flow on the <c>oai-events</c> channel.
/// </summary>
public sealed class WebRtcCallsEndpoint(
    RealtimeAuthenticator authenticator,
    RealtimeSessionFactory factory,
    WebRtcService webRtc,
    CallService calls,
    SessionRegistry sessions,
    CallRegistry liveCalls)
{
    public async Task HandleAsync(HttpContext context)
    {
        var auth = authenticator.Authenticate(context, EphemeralKeyUse.Open);
        if (!auth.Success)
        {
            await RealtimeWebSocketHandler.WriteErrorAsync(context, 401, "invalid_request_error", auth.Code!, auth.Message!).ConfigureAwait(false);
            return;
        }

        if (sessions.Count + liveCalls.Count >= factory.Options.MaxConcurrentSessions)
        {
            context.Response.Headers.RetryAfter = "5";
            await RealtimeWebSocketHandler.WriteErrorAsync(context, 503, "server_error", "server_at_capacity",
                "The server holds as many sessions as it is configured to; try again shortly.").ConfigureAwait(false);
            return;
        }

        // A call holds one of its key's session places, like a WebSocket session, until it ends.
        if (!sessions.TryReserve(auth.Key!, factory.Options.MaxSessionsPerKey))
        {
            context.Response.Headers.RetryAfter = "5";
            await RealtimeWebSocketHandler.WriteErrorAsync(context, 429, "invalid_request_error", "session_limit_reached",
                $"This key already has {factory.Options.MaxSessionsPerKey} open sessions.").ConfigureAwait(false);
            return;
        }

        var started = new System.Runtime.CompilerServices.StrongBox<RealtimeCall?>();
        try
        {
            await AnswerAsync(context, auth, started).ConfigureAwait(false);
        }
        finally
        {
            if (started.Value is { } call)
            {
                _ = call.Control.Completion.ContinueWith(_ => sessions.Release(auth.Key!), TaskScheduler.Default);
            }
            else
            {
                sessions.Release(auth.Key!);
            }
        }
    }

    private async Task<RealtimeCall?> AnswerAsync(HttpContext context, AuthResult auth, System.Runtime.CompilerServices.StrongBox<RealtimeCall?> started)
    {

        string contentType = context.Request.ContentType ?? "application/sdp";
        string? offer;
        JsonElement? session = null;
        bool inworld = false;
        JsonDocument? json = null;
        try
        {
            if (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
                offer = await ReadPartAsync(form, "sdp").ConfigureAwait(false);
                string? sessionText = await ReadPartAsync(form, "session").ConfigureAwait(false);
                if (sessionText is not null)
                {
                    json = JsonDocument.Parse(sessionText);
                    session = json.RootElement;
                }
            }
            else if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                inworld = true;
                json = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                offer = json.RootElement.TryGetProperty("sdp", out var sdp) ? sdp.GetString() : null;
                if (json.RootElement.TryGetProperty("session", out var s) && s.ValueKind == JsonValueKind.Object)
                {
                    session = s;
                }
            }
            else
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                offer = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (JsonException ex)
        {
            await RealtimeWebSocketHandler.WriteErrorAsync(context, 400, "invalid_request_error", "invalid_json", $"The session is not valid JSON: {ex.Message}").ConfigureAwait(false);
            return null;
        }

        using (json)
        {
            SessionConfig config;
            if (auth.Secret is not null)
            {
                config = auth.Secret.Session.Clone();
                config.Id = RealtimeIds.Session();
            }
            else
            {
                config = factory.DefaultConfig(context.Request.Query["model"]);
            }

            if (session is { } s)
            {
                var errors = SessionConfigReader.Apply(config, s);
                if (errors.Count > 0)
                {
                    await RealtimeWebSocketHandler.WriteErrorAsync(context, 400, "invalid_request_error", errors[0].Code ?? "invalid_value",
                        $"{errors[0].Message} ({errors[0].Param})").ConfigureAwait(false);
                    return null;
                }
            }

            if (string.IsNullOrWhiteSpace(offer))
            {
                await RealtimeWebSocketHandler.WriteErrorAsync(context, 400, "invalid_request_error", "missing_sdp", "The request carries no SDP offer.").ConfigureAwait(false);
                return null;
            }

            var result = webRtc.Endpoint.Accept(offer);
            if (!result.Succeeded)
            {
                await RealtimeWebSocketHandler.WriteErrorAsync(context, 400, "invalid_request_error", OfferErrorCode(result.Error),
                    result.Message ?? "The offer cannot be served.").ConfigureAwait(false);
                return null;
            }

            var leg = new WebRtcCallLeg(result.Connection!);
            auth.Secret?.BindTo(leg.CallId);
            var call = await calls.StartAnsweredAsync(leg, "webrtc", config, auth.Key).ConfigureAwait(false);
            started.Value = call;
            if (inworld)
            {
                await context.Response.WriteAsJsonAsync(new { id = leg.CallId, sdp = result.AnswerSdp, ice_servers = Array.Empty<object>() }).ConfigureAwait(false);
                return call;
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.ContentType = "application/sdp";
            context.Response.Headers.Location = $"/v1/realtime/calls/{leg.CallId}";
            await context.Response.WriteAsync(result.AnswerSdp!, context.RequestAborted).ConfigureAwait(false);
            return call;
        }
    }

    private static async Task<string?> ReadPartAsync(IFormCollection form, string name)
    {
        if (form.TryGetValue(name, out var value))
        {
            return value.ToString();
        }

        if (form.Files.GetFile(name) is { } file)
        {
            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
            return await reader.ReadToEndAsync().ConfigureAwait(false);
        }

        return null;
    }

    private static string OfferErrorCode(SdpOfferError error) => error switch
    {
        SdpOfferError.Unparseable => "invalid_sdp",
        SdpOfferError.NoAudio => "sdp_no_audio",
        SdpOfferError.NoOpus => "sdp_no_opus",
        _ => "unsupported_offer",
    };
}

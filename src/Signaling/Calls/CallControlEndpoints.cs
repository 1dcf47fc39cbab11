using System.Text.Json;
using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Limits;
using MediaServer.Signaling.Realtime.Session;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.Signaling.Calls;

/// <summary>
/// <c>POST /v1/realtime/calls/{call_id}/accept|reject|refer|hangup</c> (REALTIME-PROTOCOL.md §1.4): standard-key
/// authenticated, <c>200</c> with an empty body, <c>404</c> for an unknown call, <c>400</c> for a bad body.
/// </summary>
public static class CallControlEndpoints
{
    public static IEndpointRouteBuilder MapCallControl(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/realtime/calls/dial", (Delegate)DialAsync).RateLimitedByKey();
        var group = endpoints.MapGroup("/v1/realtime/calls/{callId}").RateLimitedByKey();
        group.MapPost("/accept", AcceptAsync);
        group.MapPost("/reject", RejectAsync);
        group.MapPost("/refer", ReferAsync);
        group.MapPost("/hangup", HangUpAsync);
        return endpoints;
    }

    private static async Task<IResult> AcceptAsync(string callId, HttpContext context)
    {
        if (await FindAsync(callId, context).ConfigureAwait(false) is not { } call)
        {
            return Results.Empty;
        }

        var factory = context.RequestServices.GetRequiredService<RealtimeSessionFactory>();
        var config = factory.DefaultConfig(null);
        using (var body = await ReadBodyAsync(context).ConfigureAwait(false))
        {
            if (body is null)
            {
                return Error(400, "invalid_json", "The body is not valid JSON.", null);
            }

            if (body.RootElement.ValueKind == JsonValueKind.Object)
            {
                var errors = SessionConfigReader.Apply(config, body.RootElement);
                if (errors.Count > 0)
                {
                    return Error(400, errors[0].Code ?? "invalid_value", errors[0].Message, errors[0].Param);
                }
            }
        }

        await context.RequestServices.GetRequiredService<CallService>().AcceptAsync(call, config, context.RequestAborted).ConfigureAwait(false);
        return Results.Ok();
    }

    /// <summary>
    /// <c>POST /v1/realtime/calls/dial</c> <c>{target_uri, session?}</c>: calls out through the trunk; once answered the
    /// call runs a session like an inbound one and the answer carries its <c>call_id</c>.
    /// </summary>
    private static async Task<IResult> DialAsync(HttpContext context)
    {
        var auth = context.RequestServices.GetRequiredService<RealtimeAuthenticator>().Authenticate(context, EphemeralKeyUse.Refused);
        if (!auth.Success)
        {
            return Error(401, auth.Code!, auth.Message!, null);
        }

        if (context.RequestServices.GetService<ICallDialer>() is not { } dialer)
        {
            return Error(503, "dialing_unavailable", "Outbound calls need the SIP bridge (MediaServer:Sip:Enabled).", null);
        }

        var factory = context.RequestServices.GetRequiredService<RealtimeSessionFactory>();
        var config = factory.DefaultConfig(null);
        string? target;
        using (var body = await ReadBodyAsync(context).ConfigureAwait(false))
        {
            if (body is null || body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Error(400, "invalid_json", "The body must be a JSON object {target_uri, session?}.", null);
            }

            target = body.RootElement.TryGetProperty("target_uri", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (body.RootElement.TryGetProperty("session", out var session))
            {
                var errors = SessionConfigReader.Apply(config, session);
                if (errors.Count > 0)
                {
                    return Error(400, errors[0].Code ?? "invalid_value", errors[0].Message, errors[0].Param);
                }
            }
        }

        if (string.IsNullOrWhiteSpace(target) || !target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            return Error(400, "invalid_value", "target_uri must be a sip: URI.", "target_uri");
        }

        ICallControl control;
        try
        {
            control = await dialer.DialAsync(target, context.RequestAborted).ConfigureAwait(false);
        }
        catch (CallDialException ex)
        {
            return Results.Json(new { error = new { type = "invalid_request_error", code = "call_failed", message = ex.Message, sip_status = ex.StatusCode } },
                statusCode: StatusCodes.Status502BadGateway);
        }

        var call = await context.RequestServices.GetRequiredService<CallService>()
            .StartAnsweredAsync(control, "sip", config, auth.Key).ConfigureAwait(false);
        return Results.Json(new { call_id = call.CallId });
    }

    private static async Task<IResult> RejectAsync(string callId, HttpContext context)
    {
        if (await FindAsync(callId, context).ConfigureAwait(false) is not { } call)
        {
            return Results.Empty;
        }

        int status = 603;
        using (var body = await ReadBodyAsync(context).ConfigureAwait(false))
        {
            if (body?.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("status_code", out var s))
            {
                if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out status) || status is < 400 or > 699)
                {
                    return Error(400, "invalid_value", "status_code must be a SIP final status from 400 to 699.", "status_code");
                }
            }
        }

        call.Control.Reject(status);
        return Results.Ok();
    }

    private static async Task<IResult> ReferAsync(string callId, HttpContext context)
    {
        if (await FindAsync(callId, context).ConfigureAwait(false) is not { } call)
        {
            return Results.Empty;
        }

        string? target = null;
        using (var body = await ReadBodyAsync(context).ConfigureAwait(false))
        {
            if (body?.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("target_uri", out var t)
                && t.ValueKind == JsonValueKind.String)
            {
                target = t.GetString();
            }
        }

        if (string.IsNullOrWhiteSpace(target) || !(target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase)
                                                   || target.StartsWith("sips:", StringComparison.OrdinalIgnoreCase)
                                                   || target.StartsWith("tel:", StringComparison.OrdinalIgnoreCase)))
        {
            return Error(400, "invalid_value", "target_uri must be a sip:, sips: or tel: URI.", "target_uri");
        }

        // The REFER runs on; its NOTIFY progress is reported in the logs and the call ends when the transfer succeeds.
        _ = call.Control.ReferAsync(target, CancellationToken.None);
        return Results.Ok();
    }

    private static async Task<IResult> HangUpAsync(string callId, HttpContext context)
    {
        if (await FindAsync(callId, context).ConfigureAwait(false) is not { } call)
        {
            return Results.Empty;
        }

        await call.Control.Media.HangUpAsync(context.RequestAborted).ConfigureAwait(false);
        return Results.Ok();
    }

    private static async Task<RealtimeCall?> FindAsync(string callId, HttpContext context)
    {
        var auth = context.RequestServices.GetRequiredService<RealtimeAuthenticator>().Authenticate(context, EphemeralKeyUse.ControlOwnCall);
        if (!auth.Success)
        {
            await RealtimeWebSocketHandler.WriteErrorAsync(context, 401, "invalid_request_error", auth.Code!, auth.Message!).ConfigureAwait(false);
            return null;
        }

        if (auth.Secret is { } secret && !string.Equals(secret.OpenedId, callId, StringComparison.Ordinal))
        {
            await RealtimeWebSocketHandler.WriteErrorAsync(context, 403, "invalid_request_error", "permission_denied", "An ephemeral key controls only the call it opened.").ConfigureAwait(false);
            return null;
        }

        if (!context.RequestServices.GetRequiredService<CallRegistry>().TryGet(callId, out var call))
        {
            await RealtimeWebSocketHandler.WriteErrorAsync(context, 404, "invalid_request_error", "call_not_found", $"No live call with id '{callId}'.").ConfigureAwait(false);
            return null;
        }

        return call;
    }

    private static async Task<JsonDocument?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            string text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string code, string message, string? param) => ApiError.Result(status, code, message, param);
}

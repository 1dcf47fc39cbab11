using System.Globalization;
using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signaling.Limits;

/// <summary>
/// Counts every request to an endpoint marked with <see cref="KeyRateLimitMetadata"/> against the key it is made for (a
/// standard key, or the key that minted its <c>ek_</c> secret), not against the caller's address: a key's clients
/// may share one NAT, and one client may hold many keys. Over the limit the request gets 429 with <c>Retry-After</c>
/// and the API's error body; every counted response carries <c>x-ratelimit-*</c> headers as OpenAI's do. A request
/// without a valid key is not counted: its endpoint refuses it with 401. Runs after cluster forwarding, so a request
/// proxied to the node that holds its call is counted once, there.
/// </summary>
public sealed partial class KeyRateLimitMiddleware(KeyRateLimiter limiter, RealtimeAuthenticator authenticator, ILogger<KeyRateLimitMiddleware> logger) : IMiddleware
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<KeyRateLimitMetadata>() is null || authenticator.Identify(context) is not { } key)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        bool allowed = limiter.TryAcquire(key, out var state);
        var headers = context.Response.Headers;
        headers["x-ratelimit-limit-requests"] = state.Limit.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining-requests"] = state.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset-requests"] = state.ResetSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        if (allowed)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        LogRefused(logger, context.Request.Method, context.Request.Path.Value ?? "");
        Telemetry.RealtimeTelemetry.Errors.Add(1, new KeyValuePair<string, object?>("code", "rate_limit_exceeded"));
        headers.RetryAfter = state.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await ApiError.WriteAsync(context, StatusCodes.Status429TooManyRequests, "rate_limit_exceeded",
            $"Rate limit reached for requests: this key may make {state.Limit} requests per second (its sessions' responses included). " +
            $"Retry after {state.RetryAfterSeconds} s.", null, "requests").ConfigureAwait(false);
    }

    // Debug: an over-limit client can send thousands of these a second; the count is in mediaserver_errors_total.
    [LoggerMessage(EventId = 450, Level = LogLevel.Debug, Message = "{Method} {Path} refused: the key is over its request rate")]
    private static partial void LogRefused(ILogger logger, string method, string path);
}

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediaServer.Signaling.Realtime.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.Calls;

/// <summary>
/// Posts <c>realtime.call.incoming</c> (REALTIME-PROTOCOL.md §1.4) with Standard Webhooks headers:
/// <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of
/// "id.timestamp.body"&gt;</c> keyed with the secret's base64 payload.
/// </summary>
public sealed partial class IncomingCallWebhook(HttpClient http, IOptions<CallOptions> options, TimeProvider time, ILogger<IncomingCallWebhook> logger)
{
    public bool Enabled => !string.IsNullOrEmpty(options.Value.WebhookUrl);

    public async Task<bool> NotifyAsync(RealtimeCall call, CancellationToken cancellationToken)
    {
        string id = "evt_" + RealtimeIds.Event()["event_".Length..];
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            @object = "event",
            id,
            type = "realtime.call.incoming",
            created_at = now,
            data = new
            {
                call_id = call.CallId,
                sip_headers = call.Control.SipHeaders
                    .Where(h => !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
                                && !h.Key.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
                    .Select(h => new { name = h.Key, value = h.Value }),
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.WebhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", now.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (options.Value.WebhookSecret is { Length: > 0 } secret)
        {
            request.Headers.Add("webhook-signature", "v1," + Sign(secret, id, now, body));
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            LogSent(logger, call.CallId, (int)response.StatusCode);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException ex)
        {
            LogFailed(logger, ex, call.CallId);
            return false;
        }
    }

    /// <summary>The Standard Webhooks v1 signature.</summary>
    public static string Sign(string secret, string id, long timestamp, byte[] body)
    {
        string encoded = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            key = Encoding.UTF8.GetBytes(encoded);
        }

        byte[] prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        byte[] payload = [.. prefix, .. body];
        return Convert.ToBase64String(HMACSHA256.HashData(key, payload));
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Incoming call webhook for {CallId} answered {Status}")]
    private static partial void LogSent(ILogger logger, string callId, int status);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Incoming call webhook for {CallId} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string callId);
}

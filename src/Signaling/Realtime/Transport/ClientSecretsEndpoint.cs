using System.Text.Json;
using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Realtime.Session;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.Realtime.Transport;

/// <summary>
/// <c>POST /v1/realtime/client_secrets</c> (REALTIME-PROTOCOL.md §1.2): a standard key mints a short-lived
/// <c>ek_</c> key bound to a session config; the response carries <c>value</c> and <c>expires_at</c> at the top level.
/// </summary>
public sealed class ClientSecretsEndpoint(
    RealtimeAuthenticator authenticator,
    ClientSecretStore store,
    RealtimeSessionFactory factory,
    IOptions<ApiKeyOptions> options)
{
    public async Task HandleAsync(HttpContext context)
    {
        var auth = authenticator.Authenticate(context, EphemeralKeyUse.Refused);
        if (!auth.Success)
        {
            await RealtimeWebSocketHandler.WriteErrorAsync(context, 401, "invalid_request_error", auth.Code!, auth.Message!).ConfigureAwait(false);
            return;
        }

        JsonDocument body;
        try
        {
            body = context.Request.ContentLength == 0
                ? JsonDocument.Parse("{}")
                : await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await RealtimeWebSocketHandler.WriteErrorAsync(context, 400, "invalid_request_error", "invalid_json", $"The body is not valid JSON: {ex.Message}").ConfigureAwait(false);
            return;
        }

        using (body)
        {
            var root = body.RootElement;
            int seconds = options.Value.ClientSecretDefaultSeconds;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("expires_after", out var expires))
            {
                if (expires.TryGetProperty("anchor", out var anchor) && !anchor.ValueEquals("created_at"))
                {
                    await Bad(context, "expires_after.anchor must be 'created_at'.", "expires_after.anchor").ConfigureAwait(false);
                    return;
                }

                if (expires.TryGetProperty("seconds", out var s))
                {
                    if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out seconds) || seconds is < 10 or > 7200)
                    {
                        await Bad(context, "expires_after.seconds must be an integer from 10 to 7200.", "expires_after.seconds").ConfigureAwait(false);
                        return;
                    }
                }
            }

            var config = factory.DefaultConfig(null);
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("session", out var session))
            {
                var errors = SessionConfigReader.Apply(config, session);
                if (errors.Count > 0)
                {
                    await Bad(context, errors[0].Message, errors[0].Param).ConfigureAwait(false);
                    return;
                }
            }

            var secret = store.Issue(config, seconds, auth.Key!);
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.Body);
            writer.WriteStartObject();
            writer.WriteString("value", secret.Value);
            writer.WriteNumber("expires_at", secret.ExpiresAt.ToUnixTimeSeconds());
            writer.WritePropertyName("session");
            config.WriteTo(writer);
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static Task Bad(HttpContext context, string message, string? param) =>
        ApiError.Result(StatusCodes.Status400BadRequest, "invalid_value", message, param).ExecuteAsync(context);
}

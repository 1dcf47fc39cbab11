using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.Auth;

/// <summary>
/// Finds and checks the caller's key: <c>Authorization: Bearer</c> (standard key or <c>ek_</c> secret),
/// <c>Authorization: Basic</c> (Inworld), or the browser subprotocol <c>openai-insecure-api-key.&lt;key&gt;</c>.
/// Standard keys are compared in constant time.
/// </summary>
public sealed class RealtimeAuthenticator(IOptions<ApiKeyOptions> options, ClientSecretStore secrets)
{
    public const string SubprotocolKeyPrefix = "openai-insecure-api-key.";

    public AuthResult Authenticate(HttpContext context, bool allowEphemeral)
    {
        string? key = ReadKey(context);
        if (key is null)
        {
            return AuthResult.Fail("missing_api_key", "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.");
        }

        if (key.StartsWith("ek_", StringComparison.Ordinal))
        {
            if (!allowEphemeral)
            {
                return AuthResult.Fail("invalid_api_key", "Ephemeral keys cannot be used for this request.");
            }

            return secrets.TryGet(key, out var secret)
                ? AuthResult.Ok(secret.IssuedToKey, secret)
                : AuthResult.Fail("invalid_api_key", "The ephemeral key is unknown or has expired.");
        }

        if (options.Value.Open)
        {
            return AuthResult.Ok(key, null);
        }

        byte[] given = Encoding.UTF8.GetBytes(key);
        bool match = false;
        foreach (var configured in options.Value.ApiKeys)
        {
            match |= CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(configured));
        }

        return match ? AuthResult.Ok(key, null) : AuthResult.Fail("invalid_api_key", "Incorrect API key provided.");
    }

    private static string? ReadKey(HttpContext context)
    {
        string auth = context.Request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return auth[7..].Trim();
        }

        if (auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return auth[6..].Trim();
        }

        foreach (var protocol in context.WebSockets.WebSocketRequestedProtocols)
        {
            if (protocol.StartsWith(SubprotocolKeyPrefix, StringComparison.Ordinal))
            {
                return protocol[SubprotocolKeyPrefix.Length..];
            }
        }

        return context.Request.Query.TryGetValue("token", out var token) ? token.ToString() : null;
    }
}

/// <summary>The outcome of authentication.</summary>
public sealed record AuthResult(bool Success, string? Key, ClientSecret? Secret, string? Code, string? Message)
{
    public static AuthResult Ok(string key, ClientSecret? secret) => new(true, key, secret, null, null);

    public static AuthResult Fail(string code, string message) => new(false, null, null, code, message);
}

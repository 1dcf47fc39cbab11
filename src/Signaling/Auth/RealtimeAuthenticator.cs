using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.Auth;

/// <summary>
/// Finds and checks the caller's key: <c>Authorization: Bearer</c> (standard key or <c>ek_</c> secret),
/// <c>Authorization: Basic</c> (Inworld), or the browser subprotocol <c>openai-insecure-api-key.&lt;key&gt;</c>.
/// Standard keys are compared in constant time: both sides are hashed to SHA-256 first, so neither the content nor
/// the length of a configured key leaks through timing.
/// </summary>
public sealed class RealtimeAuthenticator(IOptions<ApiKeyOptions> options, ClientSecretStore secrets)
{
    public const string SubprotocolKeyPrefix = "openai-insecure-api-key.";

    public AuthResult Authenticate(HttpContext context, EphemeralKeyUse ephemeral)
    {
        string? key = ReadKey(context);
        if (key is null)
        {
            return AuthResult.Fail("missing_api_key", "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.");
        }

        if (key.StartsWith("ek_", StringComparison.Ordinal))
        {
            if (ephemeral == EphemeralKeyUse.Refused)
            {
                return AuthResult.Fail("invalid_api_key", "Ephemeral keys cannot be used for this request.");
            }

            if (!secrets.TryGet(key, out var secret))
            {
                return AuthResult.Fail("invalid_api_key", "The ephemeral key is unknown or has expired.");
            }

            if (ephemeral == EphemeralKeyUse.Open && !secret.TryConsume() && options.Value.SingleUseClientSecrets)
            {
                return AuthResult.Fail("invalid_api_key", "The ephemeral key has already been used; each key opens one session or call.");
            }

            return AuthResult.Ok(secret.IssuedToKey, secret);
        }

        return IsStandardKey(key) ? AuthResult.Ok(key, null) : AuthResult.Fail("invalid_api_key", "Incorrect API key provided.");
    }

    /// <summary>
    /// The standard key a request is made for, without taking anything: the key itself, or the key that minted its
    /// <c>ek_</c> secret. Null when the request carries no valid key (the endpoint then refuses it). Rate limits count
    /// by this identity, so a key's ephemeral secrets share its limit.
    /// </summary>
    public string? Identify(HttpContext context)
    {
        string? key = ReadKey(context);
        if (key is null)
        {
            return null;
        }

        if (key.StartsWith("ek_", StringComparison.Ordinal))
        {
            return secrets.TryGet(key, out var secret) ? secret.IssuedToKey : null;
        }

        return IsStandardKey(key) ? key : null;
    }

    private bool IsStandardKey(string key)
    {
        if (options.Value.Open)
        {
            return true;
        }

        Span<byte> given = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), given);
        bool match = false;
        foreach (var configured in options.Value.ApiKeys)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(configured), expected);
            match |= CryptographicOperations.FixedTimeEquals(given, expected);
        }

        return match;
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

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MediaServer.SipBridge.Messages;

namespace MediaServer.SipBridge.Auth;

/// <summary>
/// Server side of digest authentication for inbound requests (RFC 3261 §22.2). Nonces are stateless:
/// <c>timestamp:HMAC(secret, timestamp)</c>, valid for <see cref="NonceLifetime"/>, so nothing is stored per caller.
/// Comparison of responses is constant-time.
/// </summary>
public sealed class SipDigestAuthenticator(string realm, string username, string password, TimeProvider time)
{
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);

    /// <summary>How long a nonce is accepted: 5 minutes.</summary>
    public static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(5);

    public string Realm => realm;

    /// <summary>A WWW-Authenticate value with a fresh nonce.</summary>
    public string Challenge(bool stale = false)
    {
        string ts = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string nonce = ts + ":" + Sign(ts);
        return $"Digest realm={SipText.Quote(realm)}, nonce={SipText.Quote(nonce)}, algorithm=MD5, qop=\"auth\"" + (stale ? ", stale=true" : string.Empty);
    }

    /// <summary>Verifies the request's Authorization header. <paramref name="stale"/> is set for an expired but otherwise valid nonce.</summary>
    public bool Verify(SipRequest request, out bool stale)
    {
        stale = false;
        if (!SipDigest.TryParse(request.Headers[SipHeaderNames.Authorization], out var f)
            || !f.TryGetValue("username", out var user) || !f.TryGetValue("realm", out var r) || !f.TryGetValue("nonce", out var nonce)
            || !f.TryGetValue("uri", out var uri) || !f.TryGetValue("response", out var response))
        {
            return false;
        }

        if (user != username || r != realm)
        {
            return false;
        }

        int colon = nonce.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(nonce[..colon])), Encoding.ASCII.GetBytes(nonce[(colon + 1)..]))
            || !long.TryParse(nonce.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out long issued))
        {
            return false;
        }

        f.TryGetValue("qop", out var qop);
        f.TryGetValue("nc", out var nc);
        f.TryGetValue("cnonce", out var cnonce);
        string expected = SipDigest.Response(username, realm, password, request.Method, uri, nonce, qop, nc, cnonce);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant())))
        {
            return false;
        }

        if (time.GetUtcNow().ToUnixTimeSeconds() - issued > NonceLifetime.TotalSeconds)
        {
            stale = true;
            return false;
        }

        return true;
    }

    private string Sign(string ts) => Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(ts)))[..32];
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MediaServer.SipBridge.Messages;

namespace MediaServer.SipBridge.Auth;

/// <summary>
/// HTTP Digest as SIP uses it (RFC 3261 §22.4, RFC 2617 §3.2.2, RFC 7616 with MD5): parsing challenges and
/// credentials, computing responses for a client, verifying them on a server. MD5 only: that is what trunks and
/// SIP phones implement (RFC 8760 SHA-256 is rare in the field).
/// </summary>
public static class SipDigest
{
    /// <summary>Parses <c>Digest k=v, k="v", ...</c>; false when the scheme is not Digest.</summary>
    public static bool TryParse(string? header, out Dictionary<string, string> fields)
    {
        fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (header is null)
        {
            return false;
        }

        string s = header.Trim();
        if (!s.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || s.Length < 7 || !SipText.IsWhite(s[6]))
        {
            return false;
        }

        var parts = new List<string>();
        if (!SipText.SplitList(s[7..], parts))
        {
            return false;
        }

        foreach (string part in parts)
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            string name = part[..eq].Trim();
            string value = part[(eq + 1)..].Trim();
            if (value.StartsWith('"'))
            {
                if (!SipText.TryReadQuoted(value, 0, out value, out _))
                {
                    return false;
                }
            }

            fields[name] = value;
        }

        return true;
    }

    /// <summary>Lower-case hex MD5 of a UTF-8 string.</summary>
    public static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// request-digest (RFC 2617 §3.2.2.1): with qop=auth <c>MD5(HA1:nonce:nc:cnonce:qop:HA2)</c>, without qop
    /// <c>MD5(HA1:nonce:HA2)</c>; HA1 = MD5(user:realm:password), HA2 = MD5(method:uri).
    /// </summary>
    public static string Response(string username, string realm, string password, string method, string uri, string nonce, string? qop, string? nc, string? cnonce)
    {
        string ha1 = Md5Hex(username + ":" + realm + ":" + password);
        string ha2 = Md5Hex(method + ":" + uri);
        return qop is null
            ? Md5Hex(ha1 + ":" + nonce + ":" + ha2)
            : Md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /// <summary>Builds the Authorization (or Proxy-Authorization) value answering <paramref name="challenge"/>.</summary>
    public static string? Answer(string challenge, string username, string password, string method, string uri, int nonceCount = 1)
    {
        if (!TryParse(challenge, out var c) || !c.TryGetValue("realm", out var realm) || !c.TryGetValue("nonce", out var nonce))
        {
            return null;
        }

        if (c.TryGetValue("algorithm", out var algorithm) && !algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string? qop = c.TryGetValue("qop", out var offered) && offered.Split(',').Any(q => q.Trim() == "auth") ? "auth" : null;
        string nc = nonceCount.ToString("x8", CultureInfo.InvariantCulture);
        string cnonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        string response = Response(username, realm, password, method, uri, nonce, qop, nc, cnonce);
        var sb = new StringBuilder("Digest ");
        sb.Append(CultureInfo.InvariantCulture, $"username={SipText.Quote(username)}, realm={SipText.Quote(realm)}, nonce={SipText.Quote(nonce)}, uri={SipText.Quote(uri)}, response=\"{response}\", algorithm=MD5");
        if (qop is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $", qop=auth, nc={nc}, cnonce=\"{cnonce}\"");
        }

        if (c.TryGetValue("opaque", out var opaque))
        {
            sb.Append(", opaque=").Append(SipText.Quote(opaque));
        }

        return sb.ToString();
    }
}

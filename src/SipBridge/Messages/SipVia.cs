using System.Globalization;
using System.Text;

namespace MediaServer.SipBridge.Messages;

/// <summary>
/// One Via value (RFC 3261 §20.42): <c>SIP/2.0/transport sent-by *(;param)</c>, with LWS allowed around the
/// slashes (RFC 4475 §3.1.1.1). Carries branch (§8.1.1.7), received and rport (RFC 3581).
/// </summary>
public sealed class SipVia
{
    /// <summary>The RFC 3261 §8.1.1.7 magic cookie that marks a branch as globally unique.</summary>
    public const string MagicCookie = "z9hG4bK";

    /// <summary>Upper-case transport (UDP, TCP, TLS, SCTP, WS...).</summary>
    public string Transport { get; set; } = "UDP";

    /// <summary>sent-by host (IPv6 with brackets).</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>sent-by port or null.</summary>
    public int? Port { get; set; }

    /// <summary>Parameters in order.</summary>
    public SipParameters Parameters { get; } = [];

    /// <summary>The branch parameter or null.</summary>
    public string? Branch => Parameters.Get("branch");

    /// <summary>Parses a single Via value. Never throws.</summary>
    public static bool TryParse(string value, out SipVia via)
    {
        via = new SipVia();
        string s = value;
        int i = SipText.SkipWhite(s, 0);
        if (!ReadToken(s, ref i, out string protocol) || !string.Equals(protocol, "SIP", StringComparison.OrdinalIgnoreCase)
            || !ReadSlash(s, ref i) || !ReadToken(s, ref i, out string version) || version != "2.0"
            || !ReadSlash(s, ref i) || !ReadToken(s, ref i, out string transport))
        {
            return false;
        }

        via.Transport = transport.ToUpperInvariant();
        int hostStart = SipText.SkipWhite(s, i);
        if (hostStart == i)
        {
            return false;
        }

        i = hostStart;
        while (i < s.Length && s[i] != ';' && !SipText.IsWhite(s[i]))
        {
            i++;
        }

        if (!SipUri.TryParseHostPort(s[hostStart..i], out string host, out int? port))
        {
            return false;
        }

        via.Host = host;
        via.Port = port;
        return SipParameters.TryParseHeaderParams(s, i, via.Parameters, out _);
    }

    /// <summary>Parses every Via value of a header line list, in order. Empty elements fail (RFC 4475 §3.1.2.1).</summary>
    public static bool TryParseAll(SipHeaderCollection headers, List<SipVia> into)
    {
        var values = new List<string>();
        foreach (var h in headers)
        {
            if (string.Equals(h.Name, SipHeaderNames.Via, StringComparison.OrdinalIgnoreCase) && !SipText.SplitList(h.Value, values))
            {
                return false;
            }
        }

        foreach (string v in values)
        {
            if (v.Length == 0 || !TryParse(v, out var via))
            {
                return false;
            }

            into.Add(via);
        }

        return true;
    }

    private static bool ReadToken(string s, ref int i, out string token)
    {
        i = SipText.SkipWhite(s, i);
        int start = i;
        while (i < s.Length && SipText.IsTokenChar(s[i]))
        {
            i++;
        }

        token = s[start..i];
        return i > start;
    }

    private static bool ReadSlash(string s, ref int i)
    {
        i = SipText.SkipWhite(s, i);
        if (i < s.Length && s[i] == '/')
        {
            i++;
            return true;
        }

        return false;
    }

    /// <summary>Copies this Via.</summary>
    public SipVia Clone()
    {
        var copy = new SipVia { Transport = Transport, Host = Host, Port = Port };
        copy.Parameters.AddRange(Parameters);
        return copy;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder("SIP/2.0/").Append(Transport).Append(' ').Append(Host);
        if (Port is int p)
        {
            sb.Append(':').Append(p.ToString(CultureInfo.InvariantCulture));
        }

        Parameters.AppendTo(sb);
        return sb.ToString();
    }
}

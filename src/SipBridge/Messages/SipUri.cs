using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.SipBridge.Messages;

/// <summary>
/// A URI as SIP carries it (RFC 3261 §19.1). <c>sip</c>/<c>sips</c> URIs are parsed into user, host, port,
/// parameters and headers; any other scheme (tel, urn, http...) is kept opaque, which is what a UAS needs to answer
/// 416 (RFC 4475 §3.3.2) without refusing the message.
/// </summary>
public sealed class SipUri
{
    /// <summary>Lower-case scheme (<c>sip</c>, <c>sips</c>, <c>tel</c>...).</summary>
    public string Scheme { get; set; } = "sip";

    /// <summary>User part as written (still %-escaped), or null.</summary>
    public string? User { get; set; }

    /// <summary>Password as written, or null.</summary>
    public string? Password { get; set; }

    /// <summary>Host: a name, an IPv4 address, or an IPv6 reference with its brackets.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>Port, or null when absent.</summary>
    public int? Port { get; set; }

    /// <summary>URI parameters (transport, lr, maddr, user...).</summary>
    public SipParameters Parameters { get; } = [];

    /// <summary>The <c>?</c> header part as written, or null.</summary>
    public string? Headers { get; set; }

    /// <summary>For non-SIP schemes: everything after the colon.</summary>
    public string? Opaque { get; set; }

    /// <summary>True for sip and sips.</summary>
    public bool IsSip => Scheme is "sip" or "sips";

    /// <summary>The host without IPv6 brackets.</summary>
    public string HostWithoutBrackets => Host.Length > 1 && Host[0] == '[' ? Host[1..^1] : Host;

    /// <summary>Creates a sip URI.</summary>
    public static SipUri Create(string? user, string host, int? port = null) => new() { User = user, Host = host, Port = port };

    /// <summary>Parses a URI. Never throws.</summary>
    public static bool TryParse(string text, out SipUri uri)
    {
        uri = new SipUri();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsScheme(text.AsSpan(0, colon)))
        {
            return false;
        }

        uri.Scheme = text[..colon].ToLowerInvariant();
        string rest = text[(colon + 1)..];
        foreach (char c in rest)
        {
            if (c <= ' ' || c is '<' or '>' or '"' || c == 0x7F)
            {
                return false;
            }
        }

        if (!uri.IsSip)
        {
            uri.Opaque = rest;
            return rest.Length > 0;
        }

        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            string userInfo = rest[..at];
            int pw = userInfo.IndexOf(':', StringComparison.Ordinal);
            uri.User = pw >= 0 ? userInfo[..pw] : userInfo;
            uri.Password = pw >= 0 ? userInfo[(pw + 1)..] : null;
            if (uri.User.Length == 0)
            {
                return false;
            }

            rest = rest[(at + 1)..];
        }

        int q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            uri.Headers = rest[(q + 1)..];
            rest = rest[..q];
        }

        int semi = rest.IndexOf(';', StringComparison.Ordinal);
        string hostPort = semi >= 0 ? rest[..semi] : rest;
        if (!TryParseHostPort(hostPort, out string host, out int? port))
        {
            return false;
        }

        uri.Host = host;
        uri.Port = port;
        if (semi >= 0)
        {
            foreach (string p in rest[(semi + 1)..].Split(';'))
            {
                if (p.Length == 0)
                {
                    return false;
                }

                int eq = p.IndexOf('=', StringComparison.Ordinal);
                string name = eq >= 0 ? p[..eq] : p;
                if (name.Length == 0)
                {
                    return false;
                }

                uri.Parameters.Add(new(name, eq >= 0 ? p[(eq + 1)..] : null));
            }
        }

        return true;
    }

    /// <summary>
    /// Parses <c>host [":" port]</c> where host is a hostname, IPv4 address or bracketed IPv6 reference
    /// (RFC 3261 §25.1 hostport; RFC 5118 §4.2: a bare IPv6 address is not a host).
    /// </summary>
    public static bool TryParseHostPort(string text, out string host, out int? port)
    {
        host = string.Empty;
        port = null;
        string portText;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(text.AsSpan(1, close - 1), out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            host = text[..(close + 1)];
            portText = text[(close + 1)..];
        }
        else
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            host = colon >= 0 ? text[..colon] : text;
            portText = colon >= 0 ? text[colon..] : string.Empty;
            if (host.Length == 0)
            {
                return false;
            }

            foreach (char c in host)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
                {
                    return false;
                }
            }
        }

        if (portText.Length == 0)
        {
            return true;
        }

        if (portText[0] != ':' || portText.Length < 2 || portText.Length > 6)
        {
            return false;
        }

        foreach (char c in portText.AsSpan(1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        int value = int.Parse(portText.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture);
        if (value > 65535)
        {
            return false;
        }

        port = value;
        return true;
    }

    private static bool IsScheme(ReadOnlySpan<char> s)
    {
        if (!char.IsAsciiLetter(s[0]))
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Copies this URI.</summary>
    public SipUri Clone()
    {
        var copy = new SipUri { Scheme = Scheme, User = User, Password = Password, Host = Host, Port = Port, Headers = Headers, Opaque = Opaque };
        copy.Parameters.AddRange(Parameters);
        return copy;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder(Scheme).Append(':');
        if (!IsSip)
        {
            return sb.Append(Opaque).ToString();
        }

        if (User is not null)
        {
            sb.Append(User);
            if (Password is not null)
            {
                sb.Append(':').Append(Password);
            }

            sb.Append('@');
        }

        sb.Append(Host);
        if (Port is int p)
        {
            sb.Append(':').Append(p.ToString(CultureInfo.InvariantCulture));
        }

        Parameters.AppendTo(sb);
        if (Headers is not null)
        {
            sb.Append('?').Append(Headers);
        }

        return sb.ToString();
    }
}

using System.Globalization;
using System.Text;

namespace MediaServer.SipBridge.Messages;

/// <summary>
/// A SIP request or response (RFC 3261 §7): start line, ordered headers, body. Typed accessors parse the header
/// text on demand, so a message built in code and one read from the wire behave the same.
/// </summary>
public abstract class SipMessage
{
    /// <summary>Header lines in order.</summary>
    public SipHeaderCollection Headers { get; } = [];

    /// <summary>Message body (Content-Length is derived from it when serialising).</summary>
    public byte[] Body { get; set; } = [];

    /// <summary>Call-ID value.</summary>
    public string? CallId => Headers[SipHeaderNames.CallId];

    /// <summary>CSeq, or default when absent or malformed.</summary>
    public SipCSeq CSeq => Headers[SipHeaderNames.CSeq] is { } v && SipCSeq.TryParse(v, out var c) ? c : default;

    /// <summary>From, or null.</summary>
    public SipNameAddress? From => ParseAddress(SipHeaderNames.From);

    /// <summary>To, or null.</summary>
    public SipNameAddress? To => ParseAddress(SipHeaderNames.To);

    /// <summary>First Contact, or null.</summary>
    public SipNameAddress? Contact
    {
        get
        {
            var list = new List<SipNameAddress>();
            return Headers[SipHeaderNames.Contact] is { } v && SipNameAddress.TryParseList(v, list, out _) && list.Count > 0 ? list[0] : null;
        }
    }

    /// <summary>All Via values, top first (empty when any is malformed).</summary>
    public List<SipVia> Vias
    {
        get
        {
            var list = new List<SipVia>();
            return SipVia.TryParseAll(Headers, list) ? list : [];
        }
    }

    /// <summary>Top Via or null.</summary>
    public SipVia? TopVia => Vias is { Count: > 0 } v ? v[0] : null;

    /// <summary>Content-Type media type without parameters, lower case, or null.</summary>
    public string? ContentType => Headers[SipHeaderNames.ContentType] is { } v ? v.Split(';')[0].Trim().ToLowerInvariant() : null;

    /// <summary>Body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Sets a header to the string form of a name-addr.</summary>
    public void SetAddress(string name, SipNameAddress value) => Headers.Set(name, value.ToString());

    /// <summary>
    /// Replaces the top Via (splitting a combined first line so only the top value changes), as a server does
    /// when adding received/rport (RFC 3261 §18.2.1, RFC 3581 §4).
    /// </summary>
    public void ReplaceTopVia(SipVia via)
    {
        int at = Headers.FindIndex(h => SipText.NameEquals(h.Name, SipHeaderNames.Via));
        if (at < 0)
        {
            Headers.Insert(0, new SipHeader(SipHeaderNames.Via, via.ToString()));
            return;
        }

        var values = new List<string>();
        SipText.SplitList(Headers[at].Value, values);
        Headers[at] = new SipHeader(SipHeaderNames.Via, via.ToString());
        for (int k = values.Count - 1; k >= 1; k--)
        {
            Headers.Insert(at + 1, new SipHeader(SipHeaderNames.Via, values[k]));
        }
    }

    /// <summary>Sets body and Content-Type together.</summary>
    public void SetBody(string contentType, string text)
    {
        Body = Encoding.UTF8.GetBytes(text);
        Headers.Set(SipHeaderNames.ContentType, contentType);
    }

    /// <summary>Writes the start line.</summary>
    protected abstract void AppendStartLine(StringBuilder sb);

    /// <summary>Serialises with CRLF line ends and a Content-Length that matches <see cref="Body"/>.</summary>
    public byte[] ToBytes()
    {
        var sb = new StringBuilder(512);
        AppendStartLine(sb);
        sb.Append("\r\n");
        foreach (var h in Headers)
        {
            if (SipText.NameEquals(h.Name, SipHeaderNames.ContentLength))
            {
                continue;
            }

            sb.Append(h.Name).Append(": ").Append(h.Value).Append("\r\n");
        }

        sb.Append("Content-Length: ").Append(Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        int headerBytes = Encoding.UTF8.GetByteCount(sb.ToString());
        byte[] bytes = new byte[headerBytes + Body.Length];
        Encoding.UTF8.GetBytes(sb.ToString(), bytes);
        Body.CopyTo(bytes, headerBytes);
        return bytes;
    }

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(ToBytes());

    private SipNameAddress? ParseAddress(string name) =>
        Headers[name] is { } v && SipNameAddress.TryParse(v, out var a, out _) ? a : null;
}

/// <summary>A SIP request (RFC 3261 §7.1).</summary>
public sealed class SipRequest : SipMessage
{
    /// <summary>Method, case-sensitive (RFC 3261 §7.1).</summary>
    public string Method { get; set; } = SipMethods.Options;

    /// <summary>Request-URI.</summary>
    public SipUri Uri { get; set; } = new();

    /// <inheritdoc />
    protected override void AppendStartLine(StringBuilder sb) => sb.Append(Method).Append(' ').Append(Uri).Append(" SIP/2.0");
}

/// <summary>A SIP response (RFC 3261 §7.2).</summary>
public sealed class SipResponse : SipMessage
{
    /// <summary>Status code 100-699.</summary>
    public int StatusCode { get; set; }

    /// <summary>Reason phrase (may be empty, RFC 4475 §3.1.1.13).</summary>
    public string ReasonPhrase { get; set; } = string.Empty;

    /// <summary>True for 1xx.</summary>
    public bool IsProvisional => StatusCode < 200;

    /// <inheritdoc />
    protected override void AppendStartLine(StringBuilder sb) =>
        sb.Append("SIP/2.0 ").Append(StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrase);
}

/// <summary>Method names (RFC 3261 §27.4 and extensions).</summary>
public static class SipMethods
{
    public const string Invite = "INVITE";
    public const string Ack = "ACK";
    public const string Bye = "BYE";
    public const string Cancel = "CANCEL";
    public const string Options = "OPTIONS";
    public const string Register = "REGISTER";
    public const string Info = "INFO";
    public const string Update = "UPDATE";
    public const string Refer = "REFER";
    public const string Notify = "NOTIFY";
    public const string Subscribe = "SUBSCRIBE";
    public const string Message = "MESSAGE";
    public const string Prack = "PRACK";
}

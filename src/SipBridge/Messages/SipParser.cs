using System.Globalization;
using System.Text;

namespace MediaServer.SipBridge.Messages;

/// <summary>
/// Parses one SIP message from bytes (RFC 3261 §7) and validates what every element must check before
/// processing (§8.2, §16.3, §18.3). Never throws: bad input yields false and a <see cref="SipRejectionReason"/>;
/// when the start line and headers could be read, <c>message</c> is still returned so the caller can build the
/// 400 response (which needs Via, From, To, Call-ID, CSeq).
/// </summary>
public static class SipParser
{
    private static readonly string[] SingleValueHeaders =
    [
        SipHeaderNames.CallId, SipHeaderNames.CSeq, SipHeaderNames.From, SipHeaderNames.To,
        SipHeaderNames.MaxForwards, SipHeaderNames.ContentLength, SipHeaderNames.ContentType,
    ];

    /// <summary>
    /// Parses <paramref name="data"/>. In datagram mode (UDP) the message is the whole datagram: a missing
    /// Content-Length means "the rest", and octets beyond Content-Length are discarded (RFC 3261 §18.3,
    /// RFC 4475 §3.1.1.8). In stream mode Content-Length is required and <paramref name="consumed"/> tells the
    /// framer where the next message starts.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, SipParserLimits limits, bool datagram, out SipMessage? message, out int consumed, out SipRejectionReason reason)
    {
        message = null;
        consumed = 0;
        int start = 0;
        while (start < data.Length && data[start] is (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        if (start == data.Length)
        {
            consumed = data.Length;
            reason = SipRejectionReason.KeepAlive;
            return false;
        }

        if (data.Length > limits.MaxMessageBytes)
        {
            reason = SipRejectionReason.MessageTooLarge;
            return false;
        }

        var rest = data[start..];
        int headerEnd = FindHeaderEnd(rest, out int terminatorLength);
        if (headerEnd < 0)
        {
            reason = rest.Length > limits.MaxHeaderBytes ? SipRejectionReason.HeadersTooLarge : SipRejectionReason.HeadersIncomplete;
            return false;
        }

        if (headerEnd > limits.MaxHeaderBytes)
        {
            reason = SipRejectionReason.HeadersTooLarge;
            return false;
        }

        string head = Encoding.UTF8.GetString(rest[..headerEnd]);
        string[] rawLines = head.Split('\n');
        if (rawLines.Length > limits.MaxHeaderCount + 1)
        {
            reason = SipRejectionReason.TooManyHeaders;
            return false;
        }

        string startLine = rawLines[0].TrimEnd('\r');
        TryParseStartLine(startLine, out message, out var startReason);
        if (message is null)
        {
            reason = startReason;
            return false;
        }

        if (!TryReadHeaders(rawLines, message.Headers, out reason))
        {
            return false;
        }

        if (startReason != SipRejectionReason.None)
        {
            // A bad Request-Line still gets a 400/505 built from the headers (RFC 4475 §3.1.2.7-3.1.2.11, §3.1.2.16).
            reason = startReason;
            return false;
        }

        int bodyStart = start + headerEnd + terminatorLength;
        int available = data.Length - bodyStart;
        int bodyLength;
        string? cl = message.Headers[SipHeaderNames.ContentLength];
        if (cl is null)
        {
            if (!datagram)
            {
                reason = SipRejectionReason.MissingContentLength;
                return false;
            }

            bodyLength = available;
        }
        else if (!TryParseDecimal(cl, int.MaxValue, out long declared))
        {
            reason = SipRejectionReason.InvalidContentLength;
            return false;
        }
        else if (declared > available)
        {
            reason = datagram ? SipRejectionReason.ContentLengthExceedsMessage : SipRejectionReason.HeadersIncomplete;
            return false;
        }
        else
        {
            bodyLength = (int)declared;
        }

        message.Body = data.Slice(bodyStart, bodyLength).ToArray();
        consumed = datagram ? data.Length : bodyStart + bodyLength;
        reason = Validate(message);
        return reason == SipRejectionReason.None;
    }

    /// <summary>Convenience overload with default limits in datagram mode.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out SipMessage? message, out SipRejectionReason reason) =>
        TryParse(data, SipParserLimits.Default, datagram: true, out message, out _, out reason);

    /// <summary>Index of the empty line that ends the headers (CRLFCRLF, or LFLF from lenient peers), or -1.</summary>
    internal static int FindHeaderEnd(ReadOnlySpan<byte> data, out int terminatorLength)
    {
        for (int i = 0; i < data.Length - 1; i++)
        {
            if (data[i] != '\n')
            {
                continue;
            }

            if (data[i + 1] == '\n')
            {
                terminatorLength = 2;
                return i;
            }

            if (data[i + 1] == '\r' && i + 2 < data.Length && data[i + 2] == '\n')
            {
                terminatorLength = 3;
                return i;
            }
        }

        terminatorLength = 0;
        return -1;
    }

    private static bool TryParseStartLine(string line, out SipMessage? message, out SipRejectionReason reason)
    {
        if (line.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseStatusLine(line, out message, out reason);
        }

        if (TryParseRequestLine(line, out message, out reason))
        {
            return true;
        }

        // Unreadable Request-Line: keep a placeholder request (never echoing its text) so the caller can answer 400.
        string method = line.Split(' ')[0];
        message = new SipRequest { Method = SipText.IsToken(method) ? method : "UNKNOWN", Uri = SipUri.Create(null, "invalid") };
        return false;
    }

    private static bool TryParseRequestLine(string line, out SipMessage? message, out SipRejectionReason reason)
    {
        message = null;

        // Request-Line = Method SP Request-URI SP SIP-Version: exactly two single spaces (RFC 4475 §3.1.2.9, §3.1.2.10).
        string[] parts = line.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[2].Length == 0)
        {
            reason = SipRejectionReason.InvalidStartLine;
            return false;
        }

        if (!SipText.IsToken(parts[0]))
        {
            reason = SipRejectionReason.InvalidMethod;
            return false;
        }

        if (!IsVersion20(parts[2], out reason))
        {
            return false;
        }

        if (parts[1][0] == '<' || !SipUri.TryParse(parts[1], out var uri) || (uri.IsSip && uri.Headers is not null))
        {
            reason = SipRejectionReason.InvalidRequestUri;
            return false;
        }

        message = new SipRequest { Method = parts[0], Uri = uri };
        reason = SipRejectionReason.None;
        return true;
    }

    private static bool TryParseStatusLine(string line, out SipMessage? message, out SipRejectionReason reason)
    {
        message = null;
        int sp1 = line.IndexOf(' ', StringComparison.Ordinal);
        if (sp1 < 0)
        {
            reason = SipRejectionReason.InvalidStartLine;
            return false;
        }

        if (!IsVersion20(line[..sp1], out reason))
        {
            return false;
        }

        int sp2 = line.IndexOf(' ', sp1 + 1);
        string code = sp2 < 0 ? line[(sp1 + 1)..] : line[(sp1 + 1)..sp2];
        if (code.Length != 3 || !TryParseDecimal(code, 699, out long status) || status < 100)
        {
            reason = SipRejectionReason.InvalidStatusCode;
            return false;
        }

        message = new SipResponse { StatusCode = (int)status, ReasonPhrase = sp2 < 0 ? string.Empty : line[(sp2 + 1)..] };
        reason = SipRejectionReason.None;
        return true;
    }

    private static bool IsVersion20(string version, out SipRejectionReason reason)
    {
        if (string.Equals(version, "SIP/2.0", StringComparison.OrdinalIgnoreCase))
        {
            reason = SipRejectionReason.None;
            return true;
        }

        reason = version.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase) && version.Length > 4 && char.IsAsciiDigit(version[4])
            ? SipRejectionReason.UnsupportedVersion
            : SipRejectionReason.InvalidStartLine;
        return false;
    }

    private static bool TryReadHeaders(string[] rawLines, SipHeaderCollection headers, out SipRejectionReason reason)
    {
        string? name = null;
        var value = new StringBuilder();
        for (int k = 1; k < rawLines.Length; k++)
        {
            string line = rawLines[k].TrimEnd('\r');
            if (line.Length > 0 && SipText.IsWhite(line[0]))
            {
                // Folding (RFC 3261 §7.3.1): a continuation line joins the previous value with one SP.
                if (name is null)
                {
                    reason = SipRejectionReason.InvalidHeaderLine;
                    return false;
                }

                value.Append(' ').Append(line.Trim(' ', '\t'));
                continue;
            }

            if (name is not null)
            {
                headers.Add(name, value.ToString().Trim(' ', '\t'));
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                reason = SipRejectionReason.InvalidHeaderLine;
                return false;
            }

            string rawName = line[..colon].TrimEnd(' ', '\t');
            if (!SipText.IsToken(rawName))
            {
                reason = SipRejectionReason.InvalidHeaderLine;
                return false;
            }

            name = SipHeaderNames.Canonicalize(rawName);
            value.Clear().Append(line.AsSpan(colon + 1));
        }

        if (name is not null)
        {
            headers.Add(name, value.ToString().Trim(' ', '\t'));
        }

        reason = SipRejectionReason.None;
        return true;
    }

    private static SipRejectionReason Validate(SipMessage message)
    {
        var h = message.Headers;
        if (h.CountOf(SipHeaderNames.Via) == 0 || h[SipHeaderNames.From] is null || h[SipHeaderNames.To] is null
            || h[SipHeaderNames.CallId] is null || h[SipHeaderNames.CSeq] is null)
        {
            return SipRejectionReason.MissingRequiredHeader;
        }

        foreach (string single in SingleValueHeaders)
        {
            if (h.CountOf(single) > 1)
            {
                return SipRejectionReason.DuplicateSingleValueHeader;
            }
        }

        if (!SipVia.TryParseAll(h, []))
        {
            return SipRejectionReason.InvalidVia;
        }

        if (!SipNameAddress.TryParse(h[SipHeaderNames.From]!, out _, out var r) || !SipNameAddress.TryParse(h[SipHeaderNames.To]!, out _, out r))
        {
            return r == SipRejectionReason.None ? SipRejectionReason.InvalidNameAddress : r;
        }

        string callId = h[SipHeaderNames.CallId]!;
        if (callId.Length == 0 || callId.AsSpan().IndexOfAny(' ', '\t') >= 0)
        {
            return SipRejectionReason.InvalidCallId;
        }

        if (!SipCSeq.TryParse(h[SipHeaderNames.CSeq]!, out var cseq))
        {
            return SipRejectionReason.InvalidCSeq;
        }

        if (message is SipRequest req && cseq.Method != req.Method && req.Method != SipMethods.Ack && req.Method != SipMethods.Cancel)
        {
            return SipRejectionReason.CSeqMethodMismatch;
        }

        if (message is SipRequest { Method: SipMethods.Ack or SipMethods.Cancel } r2 && cseq.Method != r2.Method)
        {
            return SipRejectionReason.CSeqMethodMismatch;
        }

        if (h[SipHeaderNames.MaxForwards] is { } mf && !TryParseDecimal(mf, 255, out _))
        {
            return SipRejectionReason.InvalidMaxForwards;
        }

        if (h[SipHeaderNames.Date] is { } date && !date.TrimEnd().EndsWith(" GMT", StringComparison.Ordinal))
        {
            return SipRejectionReason.InvalidDate;
        }

        foreach (var line in h)
        {
            if ((SipText.NameEquals(line.Name, SipHeaderNames.Contact) || SipText.NameEquals(line.Name, SipHeaderNames.Route)
                 || SipText.NameEquals(line.Name, SipHeaderNames.RecordRoute))
                && !SipNameAddress.TryParseList(line.Value, [], out r))
            {
                return r == SipRejectionReason.None ? SipRejectionReason.InvalidNameAddress : r;
            }
        }

        return SipRejectionReason.None;
    }

    /// <summary>Parses 1*DIGIT (leading zeros allowed) with an upper bound. Never throws.</summary>
    internal static bool TryParseDecimal(string text, long max, out long value)
    {
        value = 0;
        var s = text.AsSpan().Trim(" \t");
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        s = s.TrimStart('0');
        if (s.Length > 18)
        {
            return false;
        }

        value = s.IsEmpty ? 0 : long.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
        return value <= max;
    }
}

namespace MediaServer.SipBridge.Messages;

/// <summary>
/// Why a SIP message was refused (Kestrel's <c>RequestRejectionReason</c> style). Each value names the RFC 3261
/// rule it enforces; the text sent in a <c>400</c> reason phrase comes from <see cref="SipRejectionReasons.Describe"/>,
/// never from the attacker's bytes.
/// </summary>
public enum SipRejectionReason
{
    None = 0,
    /// <summary>Nothing but CRLF keep-alives (RFC 5626 §3.5.1); not an error, nothing to process.</summary>
    KeepAlive,
    /// <summary>The message is larger than <see cref="SipParserLimits.MaxMessageBytes"/>.</summary>
    MessageTooLarge,
    /// <summary>No empty line ends the header section (RFC 3261 §7).</summary>
    HeadersIncomplete,
    /// <summary>The header section exceeds <see cref="SipParserLimits.MaxHeaderBytes"/>.</summary>
    HeadersTooLarge,
    /// <summary>More header lines than <see cref="SipParserLimits.MaxHeaderCount"/>.</summary>
    TooManyHeaders,
    /// <summary>Request-Line or Status-Line does not match RFC 3261 §7.1/§7.2 (single SP separators).</summary>
    InvalidStartLine,
    /// <summary>The method is not an RFC 3261 §25.1 token.</summary>
    InvalidMethod,
    /// <summary>Request-URI malformed, enclosed in &lt;&gt;, or carries headers (RFC 3261 §19.1.1).</summary>
    InvalidRequestUri,
    /// <summary>SIP-Version other than SIP/2.0: answered with 505 (RFC 3261 §8.2.2... §21.5.6).</summary>
    UnsupportedVersion,
    /// <summary>Status-Code is not three digits in 100-699 (RFC 3261 §7.2).</summary>
    InvalidStatusCode,
    /// <summary>A header line has no colon, an empty or non-token name, or starts with a continuation.</summary>
    InvalidHeaderLine,
    /// <summary>A required header (Via, From, To, Call-ID, CSeq) is missing (RFC 3261 §8.1.1).</summary>
    MissingRequiredHeader,
    /// <summary>A header that allows one value appears more than once (RFC 3261 §7.3.1).</summary>
    DuplicateSingleValueHeader,
    /// <summary>CSeq is not "1*10DIGIT LWS Method" below 2**31 (RFC 3261 §8.1.1.5).</summary>
    InvalidCSeq,
    /// <summary>CSeq method differs from the Request-Line method (RFC 3261 §8.1.1.5).</summary>
    CSeqMethodMismatch,
    /// <summary>Content-Length is not a non-negative decimal (RFC 3261 §20.14).</summary>
    InvalidContentLength,
    /// <summary>Content-Length announces more bytes than the datagram holds (RFC 3261 §18.3).</summary>
    ContentLengthExceedsMessage,
    /// <summary>A Via value does not parse (RFC 3261 §20.42).</summary>
    InvalidVia,
    /// <summary>From, To, Contact or a route header is not a valid name-addr / addr-spec (RFC 3261 §20.10).</summary>
    InvalidNameAddress,
    /// <summary>A quoted string is not terminated (RFC 3261 §25.1).</summary>
    UnterminatedQuotedString,
    /// <summary>Max-Forwards is not a decimal 0-255 (RFC 3261 §20.22).</summary>
    InvalidMaxForwards,
    /// <summary>Date is not an RFC 1123 date in GMT (RFC 3261 §20.17).</summary>
    InvalidDate,
    /// <summary>Call-ID is empty or has spaces (RFC 3261 §20.8).</summary>
    InvalidCallId,
    /// <summary>A stream transport message lacks Content-Length (RFC 3261 §18.3).</summary>
    MissingContentLength,
}

/// <summary>Fixed texts for rejection reasons, safe to put in a reason phrase.</summary>
public static class SipRejectionReasons
{
    /// <summary>Returns the status code to answer a request rejected for <paramref name="reason"/>.</summary>
    public static int StatusCode(SipRejectionReason reason) => reason switch
    {
        SipRejectionReason.UnsupportedVersion => 505,
        SipRejectionReason.MessageTooLarge or SipRejectionReason.HeadersTooLarge => 513,
        _ => 400,
    };

    /// <summary>A short English phrase for a reason (constant text: attacker bytes are never echoed).</summary>
    public static string Describe(SipRejectionReason reason) => reason switch
    {
        SipRejectionReason.MessageTooLarge => "Message Too Large",
        SipRejectionReason.HeadersIncomplete => "Incomplete Header Section",
        SipRejectionReason.HeadersTooLarge => "Header Section Too Large",
        SipRejectionReason.TooManyHeaders => "Too Many Headers",
        SipRejectionReason.InvalidStartLine => "Malformed Request-Line",
        SipRejectionReason.InvalidMethod => "Invalid Method",
        SipRejectionReason.InvalidRequestUri => "Invalid Request-URI",
        SipRejectionReason.UnsupportedVersion => "Version Not Supported",
        SipRejectionReason.InvalidStatusCode => "Invalid Status-Code",
        SipRejectionReason.InvalidHeaderLine => "Malformed Header Line",
        SipRejectionReason.MissingRequiredHeader => "Missing Required Header",
        SipRejectionReason.DuplicateSingleValueHeader => "Multiple Values In Single-Value Header",
        SipRejectionReason.InvalidCSeq => "Invalid CSeq",
        SipRejectionReason.CSeqMethodMismatch => "CSeq Method Mismatch",
        SipRejectionReason.InvalidContentLength => "Invalid Content-Length",
        SipRejectionReason.ContentLengthExceedsMessage => "Content-Length Exceeds Message",
        SipRejectionReason.InvalidVia => "Invalid Via",
        SipRejectionReason.InvalidNameAddress => "Invalid Address Header",
        SipRejectionReason.UnterminatedQuotedString => "Unterminated Quoted String",
        SipRejectionReason.InvalidMaxForwards => "Invalid Max-Forwards",
        SipRejectionReason.InvalidDate => "Invalid Date",
        SipRejectionReason.InvalidCallId => "Invalid Call-ID",
        SipRejectionReason.MissingContentLength => "Missing Content-Length",
        _ => "Bad Request",
    };
}

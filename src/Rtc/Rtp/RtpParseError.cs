namespace MediaServer.Rtc.Rtp;

/// <summary>Why an RTP packet was rejected, named after the RFC 3550 section 5.1 rule it breaks.</summary>
public enum RtpParseError
{
    /// <summary>The packet was read.</summary>
    None = 0,

    /// <summary>Shorter than the 12-byte fixed header.</summary>
    TooShort,

    /// <summary>The version field (V) is not 2.</summary>
    BadVersion,

    /// <summary>The CSRC count (CC) announces more identifiers than the packet holds.</summary>
    CsrcTruncated,

    /// <summary>The X bit is set but the extension header or its announced length does not fit.</summary>
    ExtensionTruncated,

    /// <summary>The P bit is set but the last byte's padding count is zero or longer than what follows the header.</summary>
    BadPadding,
}

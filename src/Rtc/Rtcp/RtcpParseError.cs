namespace MediaServer.Rtc.Rtcp;

/// <summary>Why RTCP bytes were rejected, named after the RFC 3550 section 6.4 / A.2 rule broken.</summary>
public enum RtcpParseError
{
    None = 0,

    /// <summary>Fewer than the 4-byte common header, or than a packet type's fixed part.</summary>
    TooShort,

    /// <summary>Version is not 2.</summary>
    BadVersion,

    /// <summary>The length field points past the end of the datagram.</summary>
    LengthOverrun,

    /// <summary>The P bit is set on a packet that is not the last of the compound, or its count is impossible.</summary>
    BadPadding,

    /// <summary>The report count or an item length does not fit the packet.</summary>
    CountOverrun,

    /// <summary>A type-specific rule: an SDES item without room, a BYE reason past the end, and so on.</summary>
    Malformed,
}

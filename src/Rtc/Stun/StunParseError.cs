namespace MediaServer.Rtc.Stun;

/// <summary>Why bytes are not a STUN message (RFC 8489 section 5 and 14).</summary>
public enum StunParseError
{
    /// <summary>Parsed.</summary>
    None,

    /// <summary>Shorter than the 20-byte header.</summary>
    TooShort,

    /// <summary>The two top bits of the first byte are not zero (section 5).</summary>
    NotStun,

    /// <summary>The magic cookie is not 0x2112A442 (section 5).</summary>
    BadMagicCookie,

    /// <summary>The length field is not a multiple of 4 or disagrees with the datagram size.</summary>
    BadLength,

    /// <summary>An attribute's length runs past the message end.</summary>
    TruncatedAttribute,

    /// <summary>More attributes than <see cref="StunMessage.MaxAttributes"/>.</summary>
    TooManyAttributes,

    /// <summary>An attribute follows FINGERPRINT, or one other than FINGERPRINT follows MESSAGE-INTEGRITY (section 14.5).</summary>
    AttributeAfterIntegrity,
}

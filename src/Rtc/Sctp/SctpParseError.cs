namespace MediaServer.Rtc.Sctp;

/// <summary>Why bytes are not an SCTP packet we accept (RFC 9260 sections 3, 6.8 and 8.5).</summary>
public enum SctpParseError
{
    /// <summary>Parsed.</summary>
    None,

    /// <summary>Shorter than the 12-byte common header.</summary>
    TooShort,

    /// <summary>CRC32c mismatch (section 6.8): silently discarded.</summary>
    BadChecksum,

    /// <summary>A chunk length is under 4 or runs past the packet.</summary>
    BadChunkLength,

    /// <summary>No chunk at all.</summary>
    NoChunks,

    /// <summary>INIT, INIT ACK or SHUTDOWN COMPLETE bundled with other chunks (section 6.10).</summary>
    BadBundling,

    /// <summary>More chunks than <see cref="SctpPacket.MaxChunks"/>.</summary>
    TooManyChunks,
}

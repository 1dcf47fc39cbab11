namespace MediaServer.Rtc.Ice;

/// <summary>What a datagram on the shared port carries, by its first byte (RFC 7983 section 7).</summary>
public enum DatagramKind
{
    /// <summary>Not one of ours; dropped and counted.</summary>
    Unknown,

    /// <summary>First byte 0..3: STUN.</summary>
    Stun,

    /// <summary>First byte 20..63: DTLS record.</summary>
    Dtls,

    /// <summary>First byte 128..191 with payload type outside 192..223: RTP.</summary>
    Rtp,

    /// <summary>First byte 128..191 with packet type 192..223: RTCP (RFC 5761 section 4).</summary>
    Rtcp,
}

/// <summary>The RFC 7983 first-byte classifier, plus RFC 5761 RTP/RTCP separation on the second byte.</summary>
public static class DatagramClassifier
{
    /// <summary>Classifies <paramref name="datagram"/> without reading past its length.</summary>
    public static DatagramKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return DatagramKind.Unknown;
        }

        byte b = datagram[0];
        return b switch
        {
            <= 3 => DatagramKind.Stun,
            >= 20 and <= 63 => DatagramKind.Dtls,
            >= 128 and <= 191 when datagram.Length >= 2 => datagram[1] is >= 192 and <= 223 ? DatagramKind.Rtcp : DatagramKind.Rtp,
            _ => DatagramKind.Unknown,
        };
    }
}

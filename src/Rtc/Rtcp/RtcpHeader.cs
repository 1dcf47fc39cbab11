using System.Buffers.Binary;

namespace MediaServer.Rtc.Rtcp;

/// <summary>
/// The common RTCP header (RFC 3550 section 6.4.1) and the framing of one packet inside a compound datagram.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|   RC    |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// RC is the report/item count, or the feedback message type (FMT) for RTPFB/PSFB. Length is in 32-bit words
/// minus one, header included.
/// </summary>
public readonly ref struct RtcpPacket
{
    public const int HeaderLength = 4;

    private RtcpPacket(byte count, byte packetType, ReadOnlySpan<byte> body, int length)
    {
        Count = count;
        PacketType = packetType;
        Body = body;
        Length = length;
    }

    /// <summary>RC (reports, chunks, sources) or FMT.</summary>
    public byte Count { get; }

    public byte PacketType { get; }

    /// <summary>The bytes after the 4-byte header, padding removed.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>Bytes this packet takes in the compound, header and padding included.</summary>
    public int Length { get; }

    /// <summary>Reads the packet at the start of <paramref name="data"/>; never throws.</summary>
    public static RtcpParseError TryRead(ReadOnlySpan<byte> data, out RtcpPacket packet)
    {
        packet = default;
        if (data.Length < HeaderLength)
        {
            return RtcpParseError.TooShort;
        }

        if (data[0] >> 6 != 2)
        {
            return RtcpParseError.BadVersion;
        }

        int length = (BinaryPrimitives.ReadUInt16BigEndian(data[2..]) + 1) * 4;
        if (length > data.Length)
        {
            return RtcpParseError.LengthOverrun;
        }

        int padding = 0;
        if ((data[0] & 0x20) != 0)
        {
            padding = data[length - 1];
            if (padding == 0 || padding > length - HeaderLength)
            {
                return RtcpParseError.BadPadding;
            }
        }

        packet = new RtcpPacket((byte)(data[0] & 0x1F), data[1], data.Slice(HeaderLength, length - HeaderLength - padding), length);
        return RtcpParseError.None;
    }

    /// <summary>Writes a common header for a packet of <paramref name="totalLength"/> bytes (a multiple of 4).</summary>
    public static void WriteHeader(Span<byte> dst, byte count, byte packetType, int totalLength)
    {
        if ((totalLength & 3) != 0 || totalLength < HeaderLength || count > 31)
        {
            throw new ArgumentException("RTCP packets are whole 32-bit words and counts fit 5 bits.");
        }

        dst[0] = (byte)(0x80 | count);
        dst[1] = packetType;
        BinaryPrimitives.WriteUInt16BigEndian(dst[2..], (ushort)((totalLength / 4) - 1));
    }
}

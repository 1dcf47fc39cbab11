using System.Buffers.Binary;
using System.Text;

namespace MediaServer.Rtc.Rtcp;

/// <summary>
/// Source description, PT 202 (RFC 3550 section 6.5): SC chunks, each an SSRC followed by items
/// (type, length, UTF-8 text) ended by a zero byte and padded to 32 bits. CNAME (type 1) is the one RTP requires.
/// </summary>
public static class RtcpSourceDescription
{
    public const byte End = 0;
    public const byte CName = 1;
    public const byte Name = 2;
    public const byte Tool = 6;

    /// <summary>Walks every item of every chunk; false (with <paramref name="error"/>) on malformed data.</summary>
    public static bool TryForEachItem(in RtcpPacket packet, SdesItemVisitor visitor, out RtcpParseError error)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        error = RtcpParseError.None;
        if (packet.PacketType != RtcpPacketType.SourceDescription)
        {
            error = RtcpParseError.Malformed;
            return false;
        }

        var body = packet.Body;
        int offset = 0;
        for (int chunk = 0; chunk < packet.Count; chunk++)
        {
            if (offset + 4 > body.Length)
            {
                error = RtcpParseError.CountOverrun;
                return false;
            }

            uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(body[offset..]);
            offset += 4;
            while (true)
            {
                if (offset >= body.Length)
                {
                    error = RtcpParseError.Malformed; // the item list must end with a zero byte
                    return false;
                }

                byte type = body[offset];
                if (type == End)
                {
                    offset = (offset + 4) & ~3; // skip the terminator and the padding to the next word
                    break;
                }

                if (offset + 2 > body.Length || offset + 2 + body[offset + 1] > body.Length)
                {
                    error = RtcpParseError.Malformed;
                    return false;
                }

                int length = body[offset + 1];
                visitor(ssrc, type, body.Slice(offset + 2, length));
                offset += 2 + length;
            }
        }

        return true;
    }

    /// <summary>Finds the CNAME of the first chunk; null when absent or malformed.</summary>
    public static string? GetCName(in RtcpPacket packet)
    {
        string? cname = null;
        TryForEachItem(packet, (_, type, text) =>
        {
            if (type == CName && cname is null)
            {
                cname = Encoding.UTF8.GetString(text);
            }
        }, out _);
        return cname;
    }

    /// <summary>Bytes an SDES packet with one chunk holding a CNAME takes.</summary>
    public static int GetLength(int cnameBytes) => RtcpPacket.HeaderLength + ((4 + 2 + cnameBytes + 1 + 3) & ~3);

    /// <summary>Writes an SDES packet with one chunk: <paramref name="ssrc"/> and its CNAME (at most 255 bytes).</summary>
    public static int WriteCName(Span<byte> dst, uint ssrc, ReadOnlySpan<byte> cname)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cname.Length, 255, nameof(cname));
        int length = GetLength(cname.Length);
        RtcpPacket.WriteHeader(dst, 1, RtcpPacketType.SourceDescription, length);
        BinaryPrimitives.WriteUInt32BigEndian(dst[4..], ssrc);
        dst[8] = CName;
        dst[9] = (byte)cname.Length;
        cname.CopyTo(dst[10..]);
        dst[(10 + cname.Length)..length].Clear();
        return length;
    }
}

/// <summary>Called for each SDES item: the chunk's source, the item type and its text bytes.</summary>
public delegate void SdesItemVisitor(uint ssrc, byte type, ReadOnlySpan<byte> text);

using System.Buffers.Binary;

namespace MediaServer.Rtc.Rtcp;

/// <summary>
/// Feedback messages of RFC 4585 section 6.1: the common part (sender SSRC, media SSRC) and the FCI.
/// <code>
/// |V=2|P|   FMT   |       PT      |          length               |
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source                         |
/// :            Feedback Control Information (FCI)                 :
/// </code>
/// </summary>
public readonly ref struct RtcpFeedback
{
    /// <summary>FMT of generic NACK in RTPFB (RFC 4585 section 6.2.1).</summary>
    public const byte GenericNack = 1;

    /// <summary>FMT of picture loss indication in PSFB (RFC 4585 section 6.3.1).</summary>
    public const byte PictureLossIndication = 1;

    private RtcpFeedback(byte packetType, byte format, uint sender, uint media, ReadOnlySpan<byte> fci)
    {
        PacketType = packetType;
        Format = format;
        SenderSsrc = sender;
        MediaSsrc = media;
        Fci = fci;
    }

    public byte PacketType { get; }

    public byte Format { get; }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    public ReadOnlySpan<byte> Fci { get; }

    public bool IsGenericNack => PacketType == RtcpPacketType.TransportFeedback && Format == GenericNack;

    public bool IsPictureLossIndication => PacketType == RtcpPacketType.PayloadFeedback && Format == PictureLossIndication;

    public static RtcpParseError TryRead(in RtcpPacket packet, out RtcpFeedback feedback)
    {
        feedback = default;
        if (packet.PacketType is not (RtcpPacketType.TransportFeedback or RtcpPacketType.PayloadFeedback) || packet.Body.Length < 8)
        {
            return RtcpParseError.TooShort;
        }

        feedback = new RtcpFeedback(packet.PacketType, packet.Count, BinaryPrimitives.ReadUInt32BigEndian(packet.Body), BinaryPrimitives.ReadUInt32BigEndian(packet.Body[4..]), packet.Body[8..]);
        return RtcpParseError.None;
    }

    /// <summary>
    /// Lists the sequence numbers a generic NACK asks for: each FCI entry is a PID and a bitmask of the 16
    /// following numbers (BLP). Returns how many were written to <paramref name="lost"/> (at most its length).
    /// </summary>
    public int GetNackedSequences(Span<ushort> lost)
    {
        int n = 0;
        for (int offset = 0; offset + 4 <= Fci.Length; offset += 4)
        {
            ushort pid = BinaryPrimitives.ReadUInt16BigEndian(Fci[offset..]);
            ushort blp = BinaryPrimitives.ReadUInt16BigEndian(Fci[(offset + 2)..]);
            if (n < lost.Length)
            {
                lost[n++] = pid;
            }

            for (int bit = 0; bit < 16 && n < lost.Length; bit++)
            {
                if ((blp & (1 << bit)) != 0)
                {
                    lost[n++] = (ushort)(pid + bit + 1);
                }
            }
        }

        return n;
    }

    /// <summary>
    /// Writes a generic NACK for <paramref name="lost"/> (ascending, wrap-aware order), packing each run of up to
    /// 17 numbers into one PID/BLP entry. Returns the length written.
    /// </summary>
    public static int WriteGenericNack(Span<byte> dst, uint sender, uint media, ReadOnlySpan<ushort> lost)
    {
        int offset = 12;
        int i = 0;
        while (i < lost.Length)
        {
            ushort pid = lost[i++];
            ushort blp = 0;
            while (i < lost.Length)
            {
                int distance = (ushort)(lost[i] - pid);
                if (distance < 1 || distance > 16)
                {
                    break;
                }

                blp |= (ushort)(1 << (distance - 1));
                i++;
            }

            BinaryPrimitives.WriteUInt16BigEndian(dst[offset..], pid);
            BinaryPrimitives.WriteUInt16BigEndian(dst[(offset + 2)..], blp);
            offset += 4;
        }

        WriteCommon(dst, RtcpPacketType.TransportFeedback, GenericNack, sender, media, offset);
        return offset;
    }

    /// <summary>Writes a picture loss indication (12 bytes).</summary>
    public static int WritePictureLossIndication(Span<byte> dst, uint sender, uint media)
    {
        WriteCommon(dst, RtcpPacketType.PayloadFeedback, PictureLossIndication, sender, media, 12);
        return 12;
    }

    private static void WriteCommon(Span<byte> dst, byte packetType, byte format, uint sender, uint media, int length)
    {
        RtcpPacket.WriteHeader(dst, format, packetType, length);
        BinaryPrimitives.WriteUInt32BigEndian(dst[4..], sender);
        BinaryPrimitives.WriteUInt32BigEndian(dst[8..], media);
    }
}

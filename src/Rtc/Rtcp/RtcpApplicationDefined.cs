using System.Buffers.Binary;

namespace MediaServer.Rtc.Rtcp;

/// <summary>
/// Application-defined packet, PT 204 (RFC 3550 section 6.7): a 5-bit subtype in the count field, the source,
/// a four-character name and application data in whole words.
/// </summary>
public readonly ref struct RtcpApplicationDefined
{
    private RtcpApplicationDefined(byte subtype, uint ssrc, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        Subtype = subtype;
        Ssrc = ssrc;
        Name = name;
        Data = data;
    }

    public byte Subtype { get; }

    public uint Ssrc { get; }

    /// <summary>Four ASCII bytes.</summary>
    public ReadOnlySpan<byte> Name { get; }

    public ReadOnlySpan<byte> Data { get; }

    public static RtcpParseError TryRead(in RtcpPacket packet, out RtcpApplicationDefined app)
    {
        app = default;
        if (packet.PacketType != RtcpPacketType.ApplicationDefined || packet.Body.Length < 8)
        {
            return RtcpParseError.TooShort;
        }

        app = new RtcpApplicationDefined(packet.Count, BinaryPrimitives.ReadUInt32BigEndian(packet.Body), packet.Body.Slice(4, 4), packet.Body[8..]);
        return RtcpParseError.None;
    }

    public static int Write(Span<byte> dst, byte subtype, uint ssrc, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        if (name.Length != 4 || (data.Length & 3) != 0)
        {
            throw new ArgumentException("APP needs a 4-byte name and data in whole 32-bit words.");
        }

        int length = 12 + data.Length;
        RtcpPacket.WriteHeader(dst, subtype, RtcpPacketType.ApplicationDefined, length);
        BinaryPrimitives.WriteUInt32BigEndian(dst[4..], ssrc);
        name.CopyTo(dst[8..]);
        data.CopyTo(dst[12..]);
        return length;
    }
}

using System.Buffers.Binary;
using System.Text;

namespace MediaServer.Rtc.Sctp;

/// <summary>
/// Data Channel Establishment Protocol messages (RFC 8832 section 5), carried with PPID 50.
/// <code>
/// DATA_CHANNEL_OPEN:
///  0                   1                   2                   3
/// |  Message Type |  Channel Type |            Priority           |
/// |                    Reliability Parameter                      |
/// |         Label Length          |       Protocol Length         |
/// |                             Label                             |
/// |                            Protocol                           |
/// DATA_CHANNEL_ACK: | Message Type = 0x02 |
/// </code>
/// </summary>
public sealed record DcepOpen(byte ChannelType, ushort Priority, uint ReliabilityParameter, string Label, string Protocol)
{
    /// <summary>DATA_CHANNEL_OPEN message type.</summary>
    public const byte OpenType = 0x03;

    /// <summary>DATA_CHANNEL_ACK message type.</summary>
    public const byte AckType = 0x02;

    /// <summary>Reliable, ordered channel (RFC 8832 section 5.1).</summary>
    public const byte Reliable = 0x00;

    /// <summary>True when the channel type's high bit asks for unordered delivery.</summary>
    public bool Unordered => (ChannelType & 0x80) != 0;

    /// <summary>Parses an OPEN; false when malformed (lengths past the end, bad UTF-8 is replaced, not fatal).</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out DcepOpen open)
    {
        open = null!;
        if (message.Length < 12 || message[0] != OpenType)
        {
            return false;
        }

        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int protocolLength = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (12 + labelLength + protocolLength > message.Length)
        {
            return false;
        }

        open = new DcepOpen(
            message[1],
            BinaryPrimitives.ReadUInt16BigEndian(message[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(message[4..]),
            Encoding.UTF8.GetString(message.Slice(12, labelLength)),
            Encoding.UTF8.GetString(message.Slice(12 + labelLength, protocolLength)));
        return true;
    }

    /// <summary>Serialises this OPEN.</summary>
    public byte[] ToBytes()
    {
        var label = Encoding.UTF8.GetBytes(Label);
        var protocol = Encoding.UTF8.GetBytes(Protocol);
        var m = new byte[12 + label.Length + protocol.Length];
        m[0] = OpenType;
        m[1] = ChannelType;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), Priority);
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), ReliabilityParameter);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(8), (ushort)label.Length);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(10), (ushort)protocol.Length);
        label.CopyTo(m, 12);
        protocol.CopyTo(m, 12 + label.Length);
        return m;
    }
}

/// <summary>SCTP payload protocol identifiers of WebRTC data channels (RFC 8831 section 8).</summary>
public static class DataChannelPpid
{
    /// <summary>DCEP control messages.</summary>
    public const uint Dcep = 50;

    /// <summary>UTF-8 text.</summary>
    public const uint String = 51;

    /// <summary>Binary.</summary>
    public const uint Binary = 53;

    /// <summary>Empty text (sent as one zero byte).</summary>
    public const uint StringEmpty = 56;

    /// <summary>Empty binary (sent as one zero byte).</summary>
    public const uint BinaryEmpty = 57;
}

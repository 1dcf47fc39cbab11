using System.Buffers.Binary;

namespace MediaServer.Rtc.Rtcp;

/// <summary>
/// Goodbye, PT 203 (RFC 3550 section 6.6): SC sources leaving, then an optional reason (length byte + text).
/// </summary>
public readonly ref struct RtcpGoodbye
{
    private readonly ReadOnlySpan<byte> _sources;

    private RtcpGoodbye(ReadOnlySpan<byte> sources, int count, ReadOnlySpan<byte> reason)
    {
        _sources = sources;
        SourceCount = count;
        Reason = reason;
    }

    public int SourceCount { get; }

    /// <summary>The reason text (UTF-8), empty when none.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    public uint GetSource(int index) => BinaryPrimitives.ReadUInt32BigEndian(_sources[(index * 4)..]);

    public static RtcpParseError TryRead(in RtcpPacket packet, out RtcpGoodbye bye)
    {
        bye = default;
        if (packet.PacketType != RtcpPacketType.Goodbye)
        {
            return RtcpParseError.Malformed;
        }

        int sources = packet.Count * 4;
        if (packet.Body.Length < sources)
        {
            return RtcpParseError.CountOverrun;
        }

        var reason = ReadOnlySpan<byte>.Empty;
        if (packet.Body.Length > sources)
        {
            int length = packet.Body[sources];
            if (sources + 1 + length > packet.Body.Length)
            {
                return RtcpParseError.Malformed;
            }

            reason = packet.Body.Slice(sources + 1, length);
        }

        bye = new RtcpGoodbye(packet.Body[..sources], packet.Count, reason);
        return RtcpParseError.None;
    }

    public static int GetLength(int sources, int reasonBytes) =>
        RtcpPacket.HeaderLength + (4 * sources) + (reasonBytes == 0 ? 0 : (1 + reasonBytes + 3) & ~3);

    public static int Write(Span<byte> dst, ReadOnlySpan<uint> sources, ReadOnlySpan<byte> reason = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sources.Length, 31, nameof(sources));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reason.Length, 255, nameof(reason));
        int length = GetLength(sources.Length, reason.Length);
        RtcpPacket.WriteHeader(dst, (byte)sources.Length, RtcpPacketType.Goodbye, length);
        for (int i = 0; i < sources.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(dst[(4 + (4 * i))..], sources[i]);
        }

        if (!reason.IsEmpty)
        {
            int at = 4 + (4 * sources.Length);
            dst[at] = (byte)reason.Length;
            reason.CopyTo(dst[(at + 1)..]);
            dst[(at + 1 + reason.Length)..length].Clear();
        }

        return length;
    }
}

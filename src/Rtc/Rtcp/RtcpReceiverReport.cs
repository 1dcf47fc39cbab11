using System.Buffers.Binary;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.Rtcp;

/// <summary>
/// Receiver report, PT 201 (RFC 3550 section 6.4.2): the reporter's SSRC and RC report blocks.
/// <code>
/// |V=2|P|    RC   |   PT=RR=201   |             length            |
/// |                     SSRC of packet sender                     |
/// |                 report blocks (24 bytes each)                 |
/// </code>
/// </summary>
public readonly ref struct RtcpReceiverReport
{
    private readonly ReadOnlySpan<byte> _blocks;

    private RtcpReceiverReport(uint ssrc, ReadOnlySpan<byte> blocks, int count)
    {
        Ssrc = ssrc;
        _blocks = blocks;
        ReportCount = count;
    }

    public uint Ssrc { get; }

    public int ReportCount { get; }

    public RtpReceptionReport GetReport(int index) => RtcpReportBlock.Read(_blocks.Slice(index * RtcpReportBlock.Length, RtcpReportBlock.Length));

    public static RtcpParseError TryRead(in RtcpPacket packet, out RtcpReceiverReport report)
    {
        report = default;
        if (packet.PacketType != RtcpPacketType.ReceiverReport || packet.Body.Length < 4)
        {
            return RtcpParseError.TooShort;
        }

        int blocks = packet.Count * RtcpReportBlock.Length;
        if (packet.Body.Length < 4 + blocks)
        {
            return RtcpParseError.CountOverrun;
        }

        report = new RtcpReceiverReport(BinaryPrimitives.ReadUInt32BigEndian(packet.Body), packet.Body.Slice(4, blocks), packet.Count);
        return RtcpParseError.None;
    }

    public static int GetLength(int reports) => RtcpPacket.HeaderLength + 4 + (reports * RtcpReportBlock.Length);

    public static int Write(Span<byte> dst, uint ssrc, ReadOnlySpan<RtpReceptionReport> reports)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reports.Length, 31, nameof(reports));
        int length = GetLength(reports.Length);
        RtcpPacket.WriteHeader(dst, (byte)reports.Length, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(dst[4..], ssrc);
        for (int i = 0; i < reports.Length; i++)
        {
            RtcpReportBlock.Write(dst[(8 + (i * RtcpReportBlock.Length))..], reports[i]);
        }

        return length;
    }
}

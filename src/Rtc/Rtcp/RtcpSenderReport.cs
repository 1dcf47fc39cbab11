using System.Buffers.Binary;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.Rtcp;

/// <summary>
/// Sender report, PT 200 (RFC 3550 section 6.4.1): the sender's SSRC, the NTP and RTP timestamps of the same
/// instant, packet and octet counts, then RC reception report blocks.
/// <code>
/// |V=2|P|    RC   |   PT=SR=200   |             length            |
/// |                         SSRC of sender                        |
/// |              NTP timestamp, most significant word             |
/// |             NTP timestamp, least significant word             |
/// |                         RTP timestamp                         |
/// |                     sender's packet count                     |
/// |                      sender's octet count                     |
/// |                 report blocks (24 bytes each)                 |
/// </code>
/// </summary>
public readonly ref struct RtcpSenderReport
{
    private const int FixedLength = 24;
    private readonly ReadOnlySpan<byte> _blocks;

    private RtcpSenderReport(ReadOnlySpan<byte> body, int count)
    {
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        NtpTimestamp = BinaryPrimitives.ReadUInt64BigEndian(body[4..]);
        RtpTimestamp = BinaryPrimitives.ReadUInt32BigEndian(body[12..]);
        PacketCount = BinaryPrimitives.ReadUInt32BigEndian(body[16..]);
        OctetCount = BinaryPrimitives.ReadUInt32BigEndian(body[20..]);
        _blocks = body.Slice(FixedLength, count * RtcpReportBlock.Length);
        ReportCount = count;
    }

    public uint Ssrc { get; }

    public ulong NtpTimestamp { get; }

    public uint RtpTimestamp { get; }

    public uint PacketCount { get; }

    public uint OctetCount { get; }

    public int ReportCount { get; }

    public RtpReceptionReport GetReport(int index) => RtcpReportBlock.Read(_blocks.Slice(index * RtcpReportBlock.Length, RtcpReportBlock.Length));

    public static RtcpParseError TryRead(in RtcpPacket packet, out RtcpSenderReport report)
    {
        report = default;
        if (packet.PacketType != RtcpPacketType.SenderReport || packet.Body.Length < FixedLength)
        {
            return RtcpParseError.TooShort;
        }

        if (packet.Body.Length < FixedLength + (packet.Count * RtcpReportBlock.Length))
        {
            return RtcpParseError.CountOverrun;
        }

        report = new RtcpSenderReport(packet.Body, packet.Count);
        return RtcpParseError.None;
    }

    /// <summary>Bytes a sender report with <paramref name="reports"/> blocks takes.</summary>
    public static int GetLength(int reports) => RtcpPacket.HeaderLength + FixedLength + (reports * RtcpReportBlock.Length);

    /// <summary>Writes a sender report; returns its length.</summary>
    public static int Write(Span<byte> dst, uint ssrc, ulong ntpTimestamp, uint rtpTimestamp, uint packetCount, uint octetCount, ReadOnlySpan<RtpReceptionReport> reports)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reports.Length, 31, nameof(reports));
        int length = GetLength(reports.Length);
        RtcpPacket.WriteHeader(dst, (byte)reports.Length, RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(dst[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(dst[8..], ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(dst[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(dst[20..], packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(dst[24..], octetCount);
        for (int i = 0; i < reports.Length; i++)
        {
            RtcpReportBlock.Write(dst[(28 + (i * RtcpReportBlock.Length))..], reports[i]);
        }

        return length;
    }
}

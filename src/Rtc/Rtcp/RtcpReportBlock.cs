using System.Buffers.Binary;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.Rtcp;

/// <summary>
/// Reads and writes the 24-byte reception report block shared by SR and RR (RFC 3550 section 6.4.1).
/// <code>
/// |                 SSRC_n (source identifier)                    |
/// | fraction lost |       cumulative number of packets lost       |
/// |           extended highest sequence number received           |
/// |                      interarrival jitter                      |
/// |                         last SR (LSR)                         |
/// |                   delay since last SR (DLSR)                  |
/// </code>
/// </summary>
public static class RtcpReportBlock
{
    public const int Length = 24;

    public static RtpReceptionReport Read(ReadOnlySpan<byte> block)
    {
        int lost = (block[5] << 16) | (block[6] << 8) | block[7];
        if ((lost & 0x800000) != 0)
        {
            lost |= unchecked((int)0xFF000000); // sign-extend the 24-bit field
        }

        return new RtpReceptionReport(
            BinaryPrimitives.ReadUInt32BigEndian(block),
            block[4],
            lost,
            BinaryPrimitives.ReadUInt32BigEndian(block[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[20..]));
    }

    public static void Write(Span<byte> dst, in RtpReceptionReport report)
    {
        BinaryPrimitives.WriteUInt32BigEndian(dst, report.Ssrc);
        dst[4] = report.FractionLost;
        int lost = Math.Clamp(report.CumulativeLost, -0x800000, 0x7FFFFF);
        dst[5] = (byte)(lost >> 16);
        dst[6] = (byte)(lost >> 8);
        dst[7] = (byte)lost;
        BinaryPrimitives.WriteUInt32BigEndian(dst[8..], report.ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(dst[12..], report.Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(dst[16..], report.LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(dst[20..], report.DelaySinceLastSenderReport);
    }
}

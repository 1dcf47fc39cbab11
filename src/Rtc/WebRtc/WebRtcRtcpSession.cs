using System.Buffers.Binary;
using MediaServer.Rtc.Rtcp;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.WebRtc;

/// <summary>
/// RTCP for one call's audio (RFC 3550 section 6, muxed on the RTP port per RFC 5761): builds our compound report
/// (SR when we have sent media, else RR, with a reception block about the peer's stream, plus SDES CNAME), and
/// reads the peer's reports: its SR (for our LSR/DLSR) and its blocks about our stream (loss, jitter, RTT).
/// </summary>
internal sealed class WebRtcRtcpSession
{
    private readonly byte[] _cname;

    public WebRtcRtcpSession(string cname) => _cname = System.Text.Encoding.UTF8.GetBytes(cname);

    /// <summary>Round trip from the peer's last report block about us (RFC 3550 section 6.4.1).</summary>
    public TimeSpan? RoundTripTime { get; private set; }

    /// <summary>Fraction of our packets the peer lost in its last interval (0..1).</summary>
    public double RemoteFractionLost { get; private set; }

    /// <summary>Our packets the peer counts as lost since the start.</summary>
    public int RemoteCumulativeLost { get; private set; }

    /// <summary>Reports received.</summary>
    public long ReportsReceived { get; private set; }

    /// <summary>Writes a compound packet; returns its length.</summary>
    public int Build(Span<byte> dst, uint ssrc, bool haveSent, ulong ntpNow, uint rtpTimestamp, uint packets, uint octets, RtpReceptionReport? block)
    {
        ReadOnlySpan<RtpReceptionReport> blocks = block is { } b ? [b] : [];
        int length = haveSent
            ? RtcpSenderReport.Write(dst, ssrc, ntpNow, rtpTimestamp, packets, octets, blocks)
            : RtcpReceiverReport.Write(dst, ssrc, blocks);
        length += RtcpSourceDescription.WriteCName(dst[length..], ssrc, _cname);
        return length;
    }

    /// <summary>Reads a decrypted compound packet from the peer.</summary>
    public void OnCompound(ReadOnlySpan<byte> compound, uint localSsrc, RtpReceiveStatistics? receive, TimeSpan arrival, ulong ntpNow)
    {
        var packets = new RtcpCompound(compound);
        while (packets.MoveNext())
        {
            var packet = packets.Current;
            if (packet.PacketType == RtcpPacketType.SenderReport && RtcpSenderReport.TryRead(packet, out var sr) == RtcpParseError.None)
            {
                ReportsReceived++;
                if (receive is not null && sr.Ssrc == receive.Ssrc)
                {
                    receive.OnSenderReport(sr.NtpTimestamp, arrival);
                }

                for (int i = 0; i < sr.ReportCount; i++)
                {
                    OnBlock(sr.GetReport(i), localSsrc, ntpNow);
                }
            }
            else if (packet.PacketType == RtcpPacketType.ReceiverReport && RtcpReceiverReport.TryRead(packet, out var rr) == RtcpParseError.None)
            {
                ReportsReceived++;
                for (int i = 0; i < rr.ReportCount; i++)
                {
                    OnBlock(rr.GetReport(i), localSsrc, ntpNow);
                }
            }
        }
    }

    private void OnBlock(in RtpReceptionReport block, uint localSsrc, ulong ntpNow)
    {
        if (block.Ssrc != localSsrc)
        {
            return;
        }

        RemoteFractionLost = block.FractionLost / 256.0;
        RemoteCumulativeLost = block.CumulativeLost;
        if (NtpTime.RoundTrip(NtpTime.Compact(ntpNow), block.LastSenderReport, block.DelaySinceLastSenderReport) is { } rtt)
        {
            RoundTripTime = rtt;
        }
    }

    /// <summary>Reads the sender SSRC of an RTCP packet (bytes 4..7), for tests.</summary>
    internal static uint SenderSsrc(ReadOnlySpan<byte> packet) => packet.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(packet[4..]) : 0;
}

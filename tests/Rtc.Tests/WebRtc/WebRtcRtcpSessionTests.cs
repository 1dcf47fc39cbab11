using System.Buffers.Binary;
using MediaServer.Rtc.Rtcp;
using MediaServer.Rtc.Rtp;
using MediaServer.Rtc.WebRtc;

namespace MediaServer.Rtc.Tests.WebRtc;

public sealed class WebRtcRtcpSessionTests
{
    [Fact]
    public void Our_sender_report_carries_counts_and_a_cname_and_parses_back()
    {
        var session = new WebRtcRtcpSession("mediaserver");
        var buffer = new byte[512];
        var block = new RtpReceptionReport(0xBEEF, 12, 3, 1000, 40, 0, 0);
        int length = session.Build(buffer, 0x1234, haveSent: true, ntpNow: 0x0000_0001_0000_0000UL, rtpTimestamp: 960, packets: 50, octets: 4000, block);
        Assert.True(RtcpCompound.Validate(buffer.AsSpan(0, length), allowReducedSize: false, out _));
        Assert.Equal(RtcpPacketType.SenderReport, buffer[1]);
        Assert.Equal(0x1234u, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)));
        Assert.Equal(50u, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(20)));
        Assert.True(buffer.AsSpan(0, length).IndexOf("mediaserver"u8) > 0);

        int rrLength = session.Build(buffer, 0x1234, haveSent: false, 0, 0, 0, 0, null);
        Assert.Equal(RtcpPacketType.ReceiverReport, buffer[1]);
        Assert.True(RtcpCompound.Validate(buffer.AsSpan(0, rrLength), allowReducedSize: false, out _));
    }

    [Fact]
    public void A_report_block_about_our_stream_gives_loss_and_round_trip_time()
    {
        var session = new WebRtcRtcpSession("x");
        var buffer = new byte[512];
        ulong ourSr = NtpTime.FromDateTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        uint lsr = NtpTime.Compact(ourSr);
        uint dlsr = 65536 / 10; // the peer held our SR for 100 ms
        var aboutUs = new RtpReceptionReport(0x1234, 64, 7, 500, 10, lsr, dlsr);
        int length = RtcpReceiverReport.Write(buffer, 0x9999, [aboutUs]);
        ulong arrival = NtpTime.FromDateTime(NtpTime.ToDateTime(ourSr).AddMilliseconds(150));
        session.OnCompound(buffer.AsSpan(0, length), localSsrc: 0x1234, receive: null, TimeSpan.Zero, arrival);
        Assert.Equal(1, session.ReportsReceived);
        Assert.Equal(0.25, session.RemoteFractionLost);
        Assert.Equal(7, session.RemoteCumulativeLost);
        Assert.NotNull(session.RoundTripTime);
        Assert.InRange(session.RoundTripTime!.Value.TotalMilliseconds, 45, 55);
    }

    [Fact]
    public void Blocks_about_other_sources_and_garbage_are_ignored()
    {
        var session = new WebRtcRtcpSession("x");
        var buffer = new byte[512];
        int length = RtcpReceiverReport.Write(buffer, 0x9999, [new RtpReceptionReport(0x4321, 255, 1000, 1, 1, 1, 1)]);
        session.OnCompound(buffer.AsSpan(0, length), 0x1234, null, TimeSpan.Zero, 0);
        Assert.Equal(0, session.RemoteFractionLost);
        Assert.Null(session.RoundTripTime);
        session.OnCompound([0x80, 0xC9, 0xFF, 0xFF, 1, 2], 0x1234, null, TimeSpan.Zero, 0);
        session.OnCompound([], 0x1234, null, TimeSpan.Zero, 0);
    }
}

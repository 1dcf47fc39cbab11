using System.Text;
using MediaServer.Rtc.Rtcp;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.Tests.Rtcp;

public sealed class RtcpPacketTests
{
    [Fact]
    public void Rfc3550_section_6_4_1_round_trip_example()
    {
        // "A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s), DLSR = 0x0005:4000 (5.250 s)
        //  -> RTT = 0x0006:2000 (6.125 s)".
        var rtt = NtpTime.RoundTrip(0xB7108000, 0xB7052000, 0x00054000);
        Assert.Equal(TimeSpan.FromSeconds(6.125), rtt);
        Assert.Null(NtpTime.RoundTrip(0xB7108000, 0, 0x00054000)); // no SR seen yet
        Assert.Null(NtpTime.RoundTrip(0x00010000, 0x00020000, 0)); // negative: clock stepped
    }

    [Fact]
    public void Ntp_timestamps_count_from_1900()
    {
        ulong ntp = NtpTime.FromDateTime(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(0.5));
        Assert.Equal(2208988800UL, ntp >> 32);
        Assert.Equal(0x80000000UL, ntp & 0xFFFFFFFF);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), NtpTime.ToDateTime(NtpTime.FromDateTime(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero))));
    }

    [Fact]
    public void Sender_report_round_trips_with_report_blocks()
    {
        RtpReceptionReport[] blocks =
        [
            new(0x11111111, 25, 1234, 0x0001_0203, 77, 0xB7052000, 0x00054000),
            new(0x22222222, 0, -3, 9, 0, 0, 0), // negative cumulative loss (duplicates) must sign-extend
        ];
        var buffer = new byte[RtcpSenderReport.GetLength(2)];
        int n = RtcpSenderReport.Write(buffer, 0xCAFEBABE, 0x0102030405060708, 160000, 500, 80000, blocks);
        Assert.Equal(76, n);
        Assert.Equal(new byte[] { 0x82, 200, 0x00, 18 }, buffer[..4]);
        Assert.Equal(RtcpParseError.None, RtcpPacket.TryRead(buffer, out var packet));
        Assert.Equal(RtcpParseError.None, RtcpSenderReport.TryRead(packet, out var sr));
        Assert.Equal(0xCAFEBABEu, sr.Ssrc);
        Assert.Equal(0x0102030405060708UL, sr.NtpTimestamp);
        Assert.Equal(160000u, sr.RtpTimestamp);
        Assert.Equal(500u, sr.PacketCount);
        Assert.Equal(80000u, sr.OctetCount);
        Assert.Equal(2, sr.ReportCount);
        Assert.Equal(blocks[0], sr.GetReport(0));
        Assert.Equal(blocks[1], sr.GetReport(1));
    }

    [Fact]
    public void Receiver_report_with_no_blocks_is_eight_bytes()
    {
        var buffer = new byte[8];
        Assert.Equal(8, RtcpReceiverReport.Write(buffer, 0x01020304, []));
        Assert.Equal(new byte[] { 0x80, 201, 0, 1, 1, 2, 3, 4 }, buffer);
        RtcpPacket.TryRead(buffer, out var p);
        Assert.Equal(RtcpParseError.None, RtcpReceiverReport.TryRead(p, out var rr));
        Assert.Equal(0, rr.ReportCount);
        Assert.Equal(0x01020304u, rr.Ssrc);
    }

    [Fact]
    public void Report_count_larger_than_the_packet_is_rejected()
    {
        byte[] bytes = [0x81, 201, 0, 1, 1, 2, 3, 4]; // RC=1 but no block
        RtcpPacket.TryRead(bytes, out var p);
        Assert.Equal(RtcpParseError.CountOverrun, RtcpReceiverReport.TryRead(p, out _));
    }

    [Fact]
    public void Sdes_cname_round_trips_and_multi_chunk_items_are_walked()
    {
        var buffer = new byte[64];
        int n = RtcpSourceDescription.WriteCName(buffer, 0xAABBCCDD, "user@host"u8);
        Assert.Equal(0, n % 4);
        Assert.Equal(RtcpSourceDescription.GetLength(9), n);
        RtcpPacket.TryRead(buffer.AsSpan(0, n), out var p);
        Assert.Equal("user@host", RtcpSourceDescription.GetCName(p));

        // Two chunks by hand: ssrc 1 {CNAME "ab", TOOL "x"}, ssrc 2 {NAME "z"}.
        byte[] two = [0x82, 202, 0, 5, 0, 0, 0, 1, 1, 2, (byte)'a', (byte)'b', 6, 1, (byte)'x', 0, 0, 0, 0, 2, 2, 1, (byte)'z', 0];
        Assert.Equal(RtcpParseError.None, RtcpPacket.TryRead(two, out var p2));
        var items = new List<string>();
        Assert.True(RtcpSourceDescription.TryForEachItem(p2, (ssrc, type, text) => items.Add($"{ssrc}:{type}:{Encoding.ASCII.GetString(text)}"), out _));
        Assert.Equal(["1:1:ab", "1:6:x", "2:2:z"], items);

        byte[] bad = [0x81, 202, 0, 2, 0, 0, 0, 1, 1, 9, (byte)'a', 0]; // item length past the end
        RtcpPacket.TryRead(bad, out var p3);
        Assert.False(RtcpSourceDescription.TryForEachItem(p3, (_, _, _) => { }, out var error));
        Assert.Equal(RtcpParseError.Malformed, error);
    }

    [Fact]
    public void Bye_with_and_without_reason()
    {
        var buffer = new byte[64];
        int n = RtcpGoodbye.Write(buffer, [1u, 2u], "done"u8);
        Assert.Equal(4 + 8 + 8, n);
        RtcpPacket.TryRead(buffer.AsSpan(0, n), out var p);
        Assert.Equal(RtcpParseError.None, RtcpGoodbye.TryRead(p, out var bye));
        Assert.Equal(2, bye.SourceCount);
        Assert.Equal(2u, bye.GetSource(1));
        Assert.Equal("done", Encoding.ASCII.GetString(bye.Reason));

        n = RtcpGoodbye.Write(buffer, [7u]);
        RtcpPacket.TryRead(buffer.AsSpan(0, n), out var p2);
        Assert.Equal(RtcpParseError.None, RtcpGoodbye.TryRead(p2, out var bye2));
        Assert.True(bye2.Reason.IsEmpty);
    }

    [Fact]
    public void App_packet_round_trips()
    {
        var buffer = new byte[32];
        int n = RtcpApplicationDefined.Write(buffer, 5, 0x42, "TEST"u8, [1, 2, 3, 4]);
        Assert.Equal(16, n);
        RtcpPacket.TryRead(buffer.AsSpan(0, n), out var p);
        Assert.Equal(RtcpParseError.None, RtcpApplicationDefined.TryRead(p, out var app));
        Assert.Equal(5, app.Subtype);
        Assert.Equal(0x42u, app.Ssrc);
        Assert.Equal("TEST", Encoding.ASCII.GetString(app.Name));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, app.Data.ToArray());
    }

    [Fact]
    public void Generic_nack_packs_pid_and_blp_as_rfc4585_6_2_1()
    {
        var buffer = new byte[64];
        int n = RtcpFeedback.WriteGenericNack(buffer, 1, 2, [100, 101, 116]);
        Assert.Equal(16, n);
        Assert.Equal(new byte[] { 0x81, 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 100, 0x80, 0x01 }, buffer[..16]);

        ushort[] lost = [10, 11, 13, 30, 65535, 0, 5];
        n = RtcpFeedback.WriteGenericNack(buffer, 1, 2, lost);
        RtcpPacket.TryRead(buffer.AsSpan(0, n), out var p);
        Assert.Equal(RtcpParseError.None, RtcpFeedback.TryRead(p, out var fb));
        Assert.True(fb.IsGenericNack);
        Assert.Equal(2u, fb.MediaSsrc);
        var back = new ushort[32];
        int count = fb.GetNackedSequences(back);
        Assert.Equal(lost, back[..count]);
    }

    [Fact]
    public void Pli_is_twelve_bytes()
    {
        var buffer = new byte[12];
        Assert.Equal(12, RtcpFeedback.WritePictureLossIndication(buffer, 3, 4));
        Assert.Equal(new byte[] { 0x81, 206, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4 }, buffer);
        RtcpPacket.TryRead(buffer, out var p);
        RtcpFeedback.TryRead(p, out var fb);
        Assert.True(fb.IsPictureLossIndication);
    }

    [Fact]
    public void Compound_rules_are_enforced_and_reduced_size_tolerated()
    {
        var buffer = new byte[256];
        int n = RtcpReceiverReport.Write(buffer, 1, []);
        n += RtcpSourceDescription.WriteCName(buffer.AsSpan(n), 1, "x"u8);
        n += RtcpGoodbye.Write(buffer.AsSpan(n), [1u]);
        Assert.True(RtcpCompound.Validate(buffer.AsSpan(0, n), allowReducedSize: false, out _));
        var types = new List<byte>();
        var walk = new RtcpCompound(buffer.AsSpan(0, n));
        while (walk.MoveNext())
        {
            types.Add(walk.Current.PacketType);
        }

        Assert.Equal([201, 202, 203], types);

        var pli = new byte[12];
        RtcpFeedback.WritePictureLossIndication(pli, 1, 2);
        Assert.False(RtcpCompound.Validate(pli, allowReducedSize: false, out var e1));
        Assert.Equal(RtcpParseError.Malformed, e1);
        Assert.True(RtcpCompound.Validate(pli, allowReducedSize: true, out _));

        // Padding on a packet that is not the last one.
        var padded = buffer.AsSpan(0, n).ToArray();
        padded[0] |= 0x20;
        Assert.False(RtcpCompound.Validate(padded, true, out var e2));
        Assert.Equal(RtcpParseError.BadPadding, e2);
    }

    [Theory]
    [InlineData("80C9", RtcpParseError.TooShort)]
    [InlineData("40C9000100000000", RtcpParseError.BadVersion)]
    [InlineData("80C9000500000000", RtcpParseError.LengthOverrun)]
    [InlineData("A0C9000100000000", RtcpParseError.BadPadding)]
    [InlineData("A0C9000100000009", RtcpParseError.BadPadding)]
    public void Bad_framing_is_classified(string hex, RtcpParseError expected)
    {
        Assert.Equal(expected, RtcpPacket.TryRead(Convert.FromHexString(hex), out _));
    }

    [Fact]
    public void Last_packet_padding_is_removed()
    {
        // RR with RC=0, then 4 bytes of padding (count 4): length 3 words.
        byte[] bytes = Convert.FromHexString("A0C900020000000100000004");
        Assert.Equal(RtcpParseError.None, RtcpPacket.TryRead(bytes, out var p));
        Assert.Equal(4, p.Body.Length);
        Assert.Equal(12, p.Length);
    }
}

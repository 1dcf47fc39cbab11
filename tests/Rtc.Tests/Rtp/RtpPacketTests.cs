using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.Tests.Rtp;

public sealed class RtpPacketTests
{
    // A hand-assembled RFC 3550 section 5.1 packet: V=2 P=0 X=1 CC=0 M=1 PT=96, seq 27023, ts 3653407706,
    // SSRC 476325762, a one-byte-form extension block (RFC 8285 4.2) with id 1 (2 bytes), padding, then 5 bytes.
    private static readonly byte[] s_sample =
    [
        0x90, 0xE0, 0x69, 0x8F, 0xD9, 0xC2, 0x93, 0xDA, 0x1C, 0x64, 0x27, 0x82,
        0xBE, 0xDE, 0x00, 0x01, 0x11, 0xAA, 0xBB, 0x00,
        0x98, 0x36, 0xBE, 0x89, 0x9E,
    ];

    [Fact]
    public void Reads_every_field_of_a_sample_packet()
    {
        Assert.True(RtpPacket.TryRead(s_sample, out var p, out var error));
        Assert.Equal(RtpParseError.None, error);
        Assert.True(p.Marker);
        Assert.Equal(96, p.PayloadType);
        Assert.Equal(27023, p.SequenceNumber);
        Assert.Equal(3653407706u, p.Timestamp);
        Assert.Equal(476325762u, p.Ssrc);
        Assert.Equal(0, p.Header.CsrcCount);
        Assert.Equal(RtpHeaderExtensionProfile.OneByte, p.Header.ExtensionProfile);
        Assert.Equal(20, p.HeaderLength);
        Assert.Equal(new byte[] { 0x98, 0x36, 0xBE, 0x89, 0x9E }, p.Payload.ToArray());
        Assert.True(p.TryGetExtension(1, out var value));
        Assert.Equal(new byte[] { 0xAA, 0xBB }, value.ToArray());
        Assert.False(p.TryGetExtension(2, out _));
    }

    [Fact]
    public void Writing_a_read_packet_gives_the_same_bytes()
    {
        Assert.True(RtpPacket.TryRead(s_sample, out var p));
        var buffer = new byte[64];
        int n = p.Write(buffer);
        Assert.Equal(s_sample, buffer[..n]);
    }

    [Fact]
    public void Csrcs_padding_and_two_byte_extensions_round_trip()
    {
        var header = new RtpHeader { PayloadType = 111, SequenceNumber = 65535, Timestamp = uint.MaxValue, Ssrc = 0xDEADBEEF, Marker = false };
        header.SetCsrcs([1u, 2u, 0xFFFFFFFFu]);
        Span<byte> ext = stackalloc byte[64];
        var writer = new RtpHeaderExtensionWriter(ext, twoByte: true);
        Assert.True(writer.TryAdd(200, [1, 2, 3]));
        Assert.True(writer.TryAdd(3, []));
        Assert.True(writer.TryAdd(17, new byte[20]));
        header.ExtensionProfile = writer.Profile;
        var block = writer.Finish();
        Assert.Equal(0, block.Length % 4);
        byte[] payload = [9, 8, 7, 6, 5, 4, 3];
        var packet = new RtpPacket(header, payload, block, paddingLength: 5);
        var buffer = new byte[packet.Length];
        Assert.True(packet.TryWrite(buffer, out int written));
        Assert.Equal(buffer.Length, written);
        Assert.Equal(0xB3, buffer[0]); // V=2, P=1, X=1, CC=3
        Assert.Equal(5, buffer[^1]);

        Assert.True(RtpPacket.TryRead(buffer, out var back, out var error), error.ToString());
        Assert.Equal(3, back.Header.CsrcCount);
        Assert.Equal(2u, back.Header.GetCsrc(1));
        Assert.Equal(0xFFFFFFFFu, back.Header.GetCsrc(2));
        Assert.Equal(5, back.PaddingLength);
        Assert.Equal(payload, back.Payload.ToArray());
        Assert.Equal(65535, back.SequenceNumber);
        var ids = new List<(int Id, int Length)>();
        foreach (var e in back.GetExtensions())
        {
            ids.Add((e.Id, e.Data.Length));
        }

        Assert.Equal([(200, 3), (3, 0), (17, 20)], ids);
    }

    [Fact]
    public void One_byte_form_refuses_what_only_two_byte_can_carry()
    {
        var writer = new RtpHeaderExtensionWriter(new byte[64], twoByte: false);
        Assert.False(writer.TryAdd(15, [1]));
        Assert.False(writer.TryAdd(1, new byte[17]));
        Assert.False(writer.TryAdd(1, []));
        Assert.True(writer.TryAdd(14, new byte[16]));
        Assert.True(RtpHeaderExtensionWriter.NeedsTwoByte(15, 1));
        Assert.False(RtpHeaderExtensionWriter.NeedsTwoByte(14, 16));
    }

    [Fact]
    public void One_byte_id_15_stops_the_walk_and_padding_bytes_are_skipped()
    {
        // RFC 8285 4.2: zero bytes are padding; ID 15 means "stop processing".
        byte[] block = [0x00, 0x20, 0x07, 0x00, 0xF0, 0x31, 0x01, 0x02];
        var header = new RtpHeader { ExtensionProfile = RtpHeaderExtensionProfile.OneByte };
        var packet = new RtpPacket(header, [], block);
        var bytes = new byte[packet.Length];
        packet.Write(bytes);
        Assert.True(RtpPacket.TryRead(bytes, out var back));
        int count = 0;
        foreach (var e in back.GetExtensions())
        {
            Assert.Equal(2, e.Id);
            Assert.Equal(7, e.Data[0]);
            count++;
        }

        Assert.Equal(1, count);
    }

    [Fact]
    public void Unknown_extension_profile_is_carried_but_yields_no_elements()
    {
        byte[] bytes = [0x90, 0x00, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x00, 0x01, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x42];
        Assert.True(RtpPacket.TryRead(bytes, out var p));
        Assert.Equal(4, p.Extension.Length);
        Assert.False(p.GetExtensions().MoveNext());
        Assert.Equal([0x42], p.Payload.ToArray());
    }

    [Theory]
    [InlineData("80", RtpParseError.TooShort)]
    [InlineData("400000010000000100000001", RtpParseError.BadVersion)]
    [InlineData("820000010000000100000001000000AA", RtpParseError.CsrcTruncated)]
    [InlineData("900000010000000100000001BEDE", RtpParseError.ExtensionTruncated)]
    [InlineData("900000010000000100000001BEDE000210000000", RtpParseError.ExtensionTruncated)]
    [InlineData("A000000100000001000000010000", RtpParseError.BadPadding)]
    [InlineData("A00000010000000100000001000005", RtpParseError.BadPadding)]
    [InlineData("A00000010000000100000001", RtpParseError.BadPadding)]
    public void Malformed_packets_are_rejected_with_a_reason(string hex, RtpParseError expected)
    {
        Assert.False(RtpPacket.TryRead(Convert.FromHexString(hex), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Padding_covering_the_whole_payload_is_accepted()
    {
        Assert.True(RtpPacket.TryRead(Convert.FromHexString("A00000010000000100000001000003"), out var p));
        Assert.True(p.Payload.IsEmpty);
        Assert.Equal(3, p.PaddingLength);
    }

    [Fact]
    public void WriteHeader_leaves_room_for_in_place_payload()
    {
        var header = new RtpHeader { PayloadType = 0, SequenceNumber = 7, Timestamp = 160, Ssrc = 42, Marker = true };
        var buffer = new byte[12 + 160];
        int n = RtpPacket.WriteHeader(header, buffer);
        Assert.Equal(12, n);
        buffer.AsSpan(12).Fill(0xFF);
        Assert.True(RtpPacket.TryRead(buffer, out var p));
        Assert.Equal(160, p.Payload.Length);
        Assert.True(p.Marker);
        Assert.Equal(7, p.SequenceNumber);
    }

    [Fact]
    public void Too_small_destination_is_refused()
    {
        var packet = new RtpPacket(new RtpHeader(), new byte[10]);
        Assert.False(packet.TryWrite(new byte[21], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Demux_tells_rtcp_from_rtp()
    {
        Assert.True(RtpDemux.IsRtcp([0x80, 200]));
        Assert.True(RtpDemux.IsRtcp([0x81, 205]));
        Assert.False(RtpDemux.IsRtcp([0x80, 0x60]));
        Assert.False(RtpDemux.IsRtcp([0x80, 0xE0])); // PT 96 with marker = 224
        Assert.True(RtpDemux.IsRtpOrRtcp([0x80, 0]));
        Assert.False(RtpDemux.IsRtpOrRtcp([0x16, 0xFE])); // DTLS
    }
}

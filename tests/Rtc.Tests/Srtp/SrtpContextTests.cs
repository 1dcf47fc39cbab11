using System.Buffers.Binary;
using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Srtp;

namespace MediaServer.Rtc.Tests.Srtp;

public sealed class SrtpContextTests
{
    private static readonly byte[] Key = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] Salt14 = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");

    private static (SrtpContext Send, SrtpContext Receive) Pair(SrtpProfile profile)
    {
        var salt = Salt14.AsSpan(0, profile.MasterSaltLength());
        return (new SrtpContext(profile, Key, salt), new SrtpContext(profile, Key, salt));
    }

    private static byte[] Rtp(ushort seq, uint ssrc = 0x11223344, int payload = 160, bool extension = false)
    {
        int header = 12 + (extension ? 8 : 0);
        var p = new byte[header + payload + 32];
        p[0] = (byte)(0x80 | (extension ? 0x10 : 0));
        p[1] = 111;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(4), seq * 960u);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(8), ssrc);
        if (extension)
        {
            p[12] = 0xBE;
            p[13] = 0xDE;
            p[15] = 1;
            p[16] = 0x10;
            p[17] = 0x7F;
        }

        for (int i = 0; i < payload; i++)
        {
            p[header + i] = (byte)(i * 7);
        }

        return p;
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, false)]
    [InlineData(SrtpProfile.AeadAes128Gcm, false)]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, true)]
    [InlineData(SrtpProfile.AeadAes128Gcm, true)]
    public void Rtp_round_trips_and_payload_is_encrypted(SrtpProfile profile, bool extension)
    {
        var (tx, rx) = Pair(profile);
        using (tx)
        using (rx)
        {
            int header = extension ? 20 : 12;
            var packet = Rtp(1, extension: extension);
            var original = packet[..(header + 160)];
            Assert.Equal(SrtpError.None, tx.ProtectRtp(packet, header + 160, out int n));
            Assert.Equal(header + 160 + tx.RtpOverhead, n);
            Assert.Equal(original[..header], packet[..header]);
            Assert.NotEqual(original[header..], packet[header..(header + 160)]);
            Assert.Equal(SrtpError.None, rx.UnprotectRtp(packet, n, out int m));
            Assert.Equal(original, packet[..m]);
        }
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Replays_are_refused(SrtpProfile profile)
    {
        var (tx, rx) = Pair(profile);
        using (tx)
        using (rx)
        {
            var saved = new List<byte[]>();
            for (ushort seq = 1; seq <= 100; seq++)
            {
                var p = Rtp(seq);
                tx.ProtectRtp(p, 172, out int n);
                saved.Add(p[..n]);
            }

            // Out of order within the window is fine.
            var late = saved[98].ToArray();
            Assert.Equal(SrtpError.None, rx.UnprotectRtp(saved[99].ToArray(), saved[99].Length, out _));
            Assert.Equal(SrtpError.None, rx.UnprotectRtp(late, late.Length, out _));
            var again = saved[99].ToArray();
            Assert.Equal(SrtpError.ReplayDuplicate, rx.UnprotectRtp(again, again.Length, out _));
            var old = saved[2].ToArray();
            Assert.Equal(SrtpError.ReplayTooOld, rx.UnprotectRtp(old, old.Length, out _));
            Assert.Equal(2, rx.ReplaysDropped);
        }
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Rollover_counter_follows_sequence_wrap(SrtpProfile profile)
    {
        var (tx, rx) = Pair(profile);
        using (tx)
        using (rx)
        {
            ushort seq = 65530;
            for (int i = 0; i < 20; i++, seq++)
            {
                var p = Rtp(seq);
                Assert.Equal(SrtpError.None, tx.ProtectRtp(p, 172, out int n));
                Assert.Equal(SrtpError.None, rx.UnprotectRtp(p, n, out int m));
                Assert.Equal(172, m);
            }
        }
    }

    [Fact]
    public void Wrong_key_fails_authentication()
    {
        using var tx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, Key, Salt14);
        using var rx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, new byte[16], Salt14);
        var p = Rtp(5);
        tx.ProtectRtp(p, 172, out int n);
        Assert.Equal(SrtpError.AuthenticationFailed, rx.UnprotectRtp(p, n, out _));
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Rtcp_round_trips_and_replays_are_refused(SrtpProfile profile)
    {
        var (tx, rx) = Pair(profile);
        using (tx)
        using (rx)
        {
            var rtcp = new byte[28 + 32];
            rtcp[0] = 0x80;
            rtcp[1] = 200;
            rtcp[3] = 6;
            BinaryPrimitives.WriteUInt32BigEndian(rtcp.AsSpan(4), 0xCAFEBABE);
            rtcp[20] = 0x42;
            var original = rtcp[..28];
            Assert.Equal(SrtpError.None, tx.ProtectRtcp(rtcp, 28, out int n));
            Assert.NotEqual(original[8..], rtcp[8..28]);
            var copy = rtcp[..n];
            Assert.Equal(SrtpError.None, rx.UnprotectRtcp(rtcp, n, out int m));
            Assert.Equal(original, rtcp[..m]);
            Assert.Equal(SrtpError.ReplayDuplicate, rx.UnprotectRtcp(copy, copy.Length, out _));
        }
    }

    [Fact]
    public void Malformed_packets_are_classified()
    {
        using var rx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, Key, Salt14);
        Assert.Equal(SrtpError.TooShort, rx.UnprotectRtp(new byte[10], 10, out _));
        var bad = Rtp(1);
        bad[0] = 0x40;
        Assert.Equal(SrtpError.BadHeader, rx.UnprotectRtp(bad, 40, out _));
        var ext = Rtp(1, payload: 0, extension: true);
        ext[14] = 0xFF; // extension length beyond the packet
        Assert.Equal(SrtpError.BadHeader, rx.UnprotectRtp(ext, 30, out _));
        Assert.Equal(SrtpError.BufferTooSmall, rx.ProtectRtp(new byte[20] { 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, 20, out _));
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Protect_and_unprotect_allocate_nothing_per_packet(SrtpProfile profile)
    {
        var (tx, rx) = Pair(profile);
        using (tx)
        using (rx)
        {
            var p = Rtp(1);
            long protectBytes = 0, unprotectBytes = 0;
            for (int round = 0; round < 2; round++)
            {
                protectBytes = unprotectBytes = 0;
                for (ushort s = 1; s < 1000; s++)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)(s + (round * 1000)));
                    long a = GC.GetAllocatedBytesForCurrentThread();
                    tx.ProtectRtp(p, 172, out int n);
                    long b = GC.GetAllocatedBytesForCurrentThread();
                    rx.UnprotectRtp(p, n, out _);
                    long c = GC.GetAllocatedBytesForCurrentThread();
                    protectBytes += b - a;
                    unprotectBytes += c - b;
                }
            }

            Assert.True(protectBytes == 0 && unprotectBytes == 0, $"protect {protectBytes} B, unprotect {unprotectBytes} B over 999 packets");
        }
    }
}

using MediaServer.Rtc.Srtp;
using MediaServer.Rtc.Tests.Stun;

namespace MediaServer.Rtc.Tests.Srtp;

/// <summary>RFC 7714 AEAD_AES_128_GCM vectors for SRTP (16.1.1) and SRTCP (17.1).</summary>
public sealed class Rfc7714Tests
{
    private static SrtpContext Context(Dictionary<string, string> v) =>
        new(new SrtpAesGcmTransform(Convert.FromHexString(v["key"]), Convert.FromHexString(v["salt"]), sessionKeys: true));

    [Fact]
    public void Section_16_1_1_rtp_protect_and_unprotect()
    {
        var v = TestVectorFields.Read("rfc7714/16.1-rtp-aead-aes-128-gcm.txt");
        var plain = Convert.FromHexString(v["plain"]);
        var buffer = new byte[plain.Length + 16];
        plain.CopyTo(buffer, 0);
        using (var sender = Context(v))
        {
            Assert.Equal(SrtpError.None, sender.ProtectRtp(buffer, plain.Length, out int n));
            Assert.Equal(v["protected"], Convert.ToHexString(buffer, 0, n).ToLowerInvariant());
        }

        using var receiver = Context(v);
        Assert.Equal(SrtpError.None, receiver.UnprotectRtp(buffer, buffer.Length, out int m));
        Assert.Equal(plain, buffer[..m]);
    }

    [Fact]
    public void Section_17_1_rtcp_unprotect_and_protect()
    {
        var v = TestVectorFields.Read("rfc7714/17.1-rtcp-aead-aes-128-gcm.txt");
        var wire = Convert.FromHexString(v["protected"]);
        var plain = Convert.FromHexString(v["plain"]);
        using (var receiver = Context(v))
        {
            var buffer = wire.ToArray();
            Assert.Equal(SrtpError.None, receiver.UnprotectRtcp(buffer, buffer.Length, out int n));
            Assert.Equal(plain, buffer[..n]);
        }

        var transform = new SrtpAesGcmTransform(Convert.FromHexString(v["key"]), Convert.FromHexString(v["salt"]), sessionKeys: true);
        using (transform)
        {
            var buffer = new byte[plain.Length + 20];
            plain.CopyTo(buffer, 0);
            transform.ProtectRtcp(buffer, 0x4d617273, Convert.ToUInt32(v["index"], 16));
            Assert.Equal(v["protected"], Convert.ToHexString(buffer).ToLowerInvariant());
        }
    }

    [Fact]
    public void A_flipped_bit_fails_authentication()
    {
        var v = TestVectorFields.Read("rfc7714/16.1-rtp-aead-aes-128-gcm.txt");
        var wire = Convert.FromHexString(v["protected"]);
        wire[20] ^= 0x01;
        using var receiver = Context(v);
        Assert.Equal(SrtpError.AuthenticationFailed, receiver.UnprotectRtp(wire, wire.Length, out _));
        Assert.Equal(1, receiver.AuthenticationFailures);
    }
}

using MediaServer.Rtc.Sdp;

namespace MediaServer.Rtc.Tests.Sdp;

public sealed class SdpParserTests
{
    [Fact]
    public void Parses_a_browser_offer_into_sections_and_attributes()
    {
        Assert.Equal(SdpParseError.None, SdpParser.TryParse(SdpOffers.Browser(), out var sdp));
        Assert.Equal(2, sdp.Media.Count);
        Assert.Equal("audio", sdp.Media[0].Media);
        Assert.Equal(9, sdp.Media[0].Port);
        Assert.Equal("UDP/TLS/RTP/SAVPF", sdp.Media[0].Protocol);
        Assert.Equal(["111", "63", "9", "0", "8", "13", "110", "126"], sdp.Media[0].Formats);
        Assert.Equal("0", sdp.Media[0].Mid);
        Assert.True(sdp.Media[0].HasAttribute("rtcp-mux"));
        Assert.Equal("abcd", sdp.Media[0].GetAttribute("ice-ufrag"));
        Assert.Equal("BUNDLE 0 1", sdp.GetAttribute("group"));
        Assert.Equal("5000", sdp.Media[1].GetAttribute("sctp-port"));
        Assert.Equal(8, sdp.Media[0].GetAttributes("rtpmap").Count());
    }

    [Fact]
    public void Write_then_parse_round_trips()
    {
        Assert.Equal(SdpParseError.None, SdpParser.TryParse(SdpOffers.Browser(withVideo: true), out var sdp));
        string text = SdpWriter.Write(sdp);
        Assert.Equal(SdpParseError.None, SdpParser.TryParse(text, out var again));
        Assert.Equal(text, SdpWriter.Write(again));
        Assert.Equal(3, again.Media.Count);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_lf_only_line_ends()
    {
        Assert.Equal(SdpParseError.None, SdpParser.TryParse(SdpOffers.Browser().Replace("\r\n", "\n", StringComparison.Ordinal), out var sdp));
        Assert.Equal(2, sdp.Media.Count);
    }

    [Theory]
    [InlineData("", SdpParseError.Empty)]
    [InlineData("   ", SdpParseError.Empty)]
    [InlineData("v=1\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\n", SdpParseError.BadVersion)]
    [InlineData("o=- 1 1 IN IP4 1.1.1.1\r\n", SdpParseError.BadVersion)]
    [InlineData("v=0\r\nthis is not sdp\r\n", SdpParseError.MalformedLine)]
    [InlineData("v=0\r\nX=1\r\n", SdpParseError.MalformedLine)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\nm=audio\r\n", SdpParseError.MalformedMediaLine)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\nm=audio 99999 RTP/AVP 0\r\n", SdpParseError.MalformedMediaLine)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\nm=audio x RTP/AVP 0\r\n", SdpParseError.MalformedMediaLine)]
    [InlineData("v=0\r\ns=-\r\nt=0 0\r\n", SdpParseError.MissingMandatoryLine)]
    public void Rejects_malformed_text(string text, SdpParseError expected)
    {
        Assert.Equal(expected, SdpParser.TryParse(text, out _));
    }

    [Fact]
    public void Rejects_oversized_input()
    {
        string big = "v=0\r\n" + string.Concat(Enumerable.Repeat("a=x:yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n", 3000));
        Assert.Equal(SdpParseError.TooLarge, SdpParser.TryParse(big, out _));
    }

    [Fact]
    public void Fingerprint_parses_prints_and_verifies()
    {
        Assert.True(SdpFingerprint.TryParse(SdpOffers.Fingerprint, out var fp));
        Assert.Equal("sha-256", fp.Algorithm);
        Assert.Equal(SdpOffers.Fingerprint, fp.ToString());
        byte[] cert = [1, 2, 3, 4];
        var computed = SdpFingerprint.Compute("sha-256", cert);
        Assert.True(computed.Matches(cert));
        Assert.False(computed.Matches([1, 2, 3, 5]));
        Assert.False(SdpFingerprint.TryParse("md5 00:11", out _));
        Assert.False(SdpFingerprint.TryParse("sha-256 0F:74", out _));
        Assert.False(SdpFingerprint.TryParse("sha-256 " + SdpOffers.Fingerprint[8..].Replace("0F", "ZZ", StringComparison.Ordinal), out _));
    }
}

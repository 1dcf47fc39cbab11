using System.Text;
using MediaServer.SipBridge.Messages;

namespace MediaServer.SipBridge.Tests.Messages;

public sealed class SipParserTests
{
    private const string Options =
        "OPTIONS sip:agent@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc;rport\r\n" +
        "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:agent@127.0.0.1>\r\nCall-ID: x1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public void Ipv6_references_parse_and_bare_ipv6_is_refused()
    {
        Assert.True(SipUri.TryParse("sip:[2001:db8::10]:5070;transport=tcp", out var uri));
        Assert.Equal("[2001:db8::10]", uri.Host);
        Assert.Equal(5070, uri.Port);
        Assert.Equal("tcp", uri.Parameters.Get("transport"));
        Assert.False(SipUri.TryParse("sip:2001:db8::10", out _));
        Assert.True(SipVia.TryParse("SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3", out var via));
        Assert.Equal("[2001:db8::9:255]", via.Parameters.Get("received"));
    }

    [Fact]
    public void Stream_mode_requires_content_length_and_reports_consumed()
    {
        byte[] two = Encoding.ASCII.GetBytes(Options + Options);
        Assert.True(SipParser.TryParse(two, SipParserLimits.Default, datagram: false, out _, out int consumed, out _));
        Assert.Equal(Options.Length, consumed);
        byte[] noLength = Encoding.ASCII.GetBytes(Options.Replace("Content-Length: 0\r\n", "", StringComparison.Ordinal));
        Assert.False(SipParser.TryParse(noLength, SipParserLimits.Default, datagram: false, out _, out _, out var reason));
        Assert.Equal(SipRejectionReason.MissingContentLength, reason);
    }

    [Fact]
    public void Limits_are_enforced()
    {
        var tight = new SipParserLimits { MaxMessageBytes = 100 };
        Assert.False(SipParser.TryParse(Encoding.ASCII.GetBytes(Options), tight, true, out _, out _, out var reason));
        Assert.Equal(SipRejectionReason.MessageTooLarge, reason);
        var fewHeaders = new SipParserLimits { MaxHeaderCount = 3 };
        Assert.False(SipParser.TryParse(Encoding.ASCII.GetBytes(Options), fewHeaders, true, out _, out _, out reason));
        Assert.Equal(SipRejectionReason.TooManyHeaders, reason);
    }

    [Fact]
    public void Keep_alive_crlf_is_not_a_message()
    {
        Assert.False(SipParser.TryParse("\r\n\r\n"u8, out _, out var reason));
        Assert.Equal(SipRejectionReason.KeepAlive, reason);
    }

    [Fact]
    public void Serialiser_writes_compact_forms_expanded_and_a_matching_content_length()
    {
        string text = "INVITE sip:b@h SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@h>;tag=9\r\nt: sip:b@h\r\ni: c1\r\n" +
                      "CSeq: 2 INVITE\r\nc: application/sdp\r\nl: 3\r\n\r\nabcEXTRA";
        Assert.True(SipParser.TryParse(Encoding.ASCII.GetBytes(text), out var m, out _));
        string written = m!.ToString();
        Assert.Contains("Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n", written, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/sdp\r\n", written, StringComparison.Ordinal);
        Assert.EndsWith("Content-Length: 3\r\n\r\nabc", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Replacing_the_top_via_keeps_the_others()
    {
        Assert.True(SipParser.TryParse(Encoding.ASCII.GetBytes(Options.Replace("rport\r\n", "rport, SIP/2.0/TCP second.example.com\r\n", StringComparison.Ordinal)), out var m, out _));
        var top = m!.TopVia!;
        top.Parameters.Set("received", "10.0.0.1");
        m.ReplaceTopVia(top);
        var vias = m.Vias;
        Assert.Equal(2, vias.Count);
        Assert.Equal("10.0.0.1", vias[0].Parameters.Get("received"));
        Assert.Equal("second.example.com", vias[1].Host);
    }
}

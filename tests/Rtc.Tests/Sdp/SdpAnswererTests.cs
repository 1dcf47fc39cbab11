using System.Net;
using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Ice;
using MediaServer.Rtc.Sdp;

namespace MediaServer.Rtc.Tests.Sdp;

public sealed class SdpAnswererTests
{
    private static SdpAnswerOptions Options(DtlsRole role = DtlsRole.Client) => new()
    {
        LocalUfrag = "srvU",
        LocalPassword = "serverpasswordserverpw",
        LocalFingerprint = SdpFingerprint.Compute("sha-256", [9, 9, 9]),
        PreferredRole = role,
        Candidates = IceCandidate.HostCandidates([new IPEndPoint(IPAddress.Loopback, 40000)]),
        Ssrc = 1234,
        SessionId = 42,
    };

    [Fact]
    public void Answers_a_browser_offer_with_audio_and_data_channel()
    {
        var result = SdpAnswerer.Answer(SdpOffers.Browser(), Options());
        Assert.True(result.Succeeded, result.Message);
        var n = result.Negotiated!;
        Assert.Equal(111, n.OpusPayloadType);
        Assert.Equal((byte)110, n.TelephoneEventPayloadType);
        Assert.Equal("abcd", n.RemoteUfrag);
        Assert.Equal("0123456789012345678901", n.RemotePassword);
        Assert.Equal(DtlsRole.Client, n.DtlsRole);
        Assert.Equal("0", n.AudioMid);
        Assert.Equal("1", n.DataMid);
        Assert.Equal(262144, n.RemoteMaxMessageSize);
        Assert.True(n.SendAudio && n.ReceiveAudio);

        Assert.Equal(SdpParseError.None, SdpParser.TryParse(n.AnswerSdp, out var answer));
        Assert.True(answer.HasAttribute("ice-lite"));
        Assert.Equal("BUNDLE 0 1", answer.GetAttribute("group"));
        var audio = answer.Media[0];
        Assert.Equal(40000, audio.Port);
        Assert.Equal(["111", "110"], audio.Formats);
        Assert.Equal("active", audio.GetAttribute("setup"));
        Assert.Equal("srvU", audio.GetAttribute("ice-ufrag"));
        Assert.Equal("agent agent-audio", audio.GetAttribute("msid"));
        Assert.True(audio.HasAttribute("rtcp-mux"));
        Assert.True(audio.HasAttribute("sendrecv"));
        Assert.True(audio.HasAttribute("end-of-candidates"));
        Assert.StartsWith("sha-256 ", audio.GetAttribute("fingerprint"), StringComparison.Ordinal);
        Assert.Equal("1 1 udp 2130706431 127.0.0.1 40000 typ host", audio.GetAttribute("candidate"));
        Assert.Equal("IN IP4 127.0.0.1", audio.Connection);
        var data = answer.Media[1];
        Assert.Equal("application", data.Media);
        Assert.Equal(["webrtc-datachannel"], data.Formats);
        Assert.Equal("5000", data.GetAttribute("sctp-port"));
        Assert.Equal("1", data.Mid);
    }

    [Fact]
    public void Offers_without_candidates_are_answered()
    {
        var result = SdpAnswerer.Answer(SdpOffers.Browser(withCandidates: false), Options());
        Assert.True(result.Succeeded, result.Message);
    }

    [Theory]
    [InlineData("actpass", DtlsRole.Client, DtlsRole.Client, "active")]
    [InlineData("actpass", DtlsRole.Server, DtlsRole.Server, "passive")]
    [InlineData("active", DtlsRole.Client, DtlsRole.Server, "passive")]
    [InlineData("passive", DtlsRole.Server, DtlsRole.Client, "active")]
    public void Setup_roles_follow_rfc_5763(string offered, DtlsRole preferred, DtlsRole expected, string answered)
    {
        var result = SdpAnswerer.Answer(SdpOffers.Browser(setup: offered), Options(preferred));
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(expected, result.Negotiated!.DtlsRole);
        SdpParser.TryParse(result.Negotiated.AnswerSdp, out var answer);
        Assert.Equal(answered, answer.Media[0].GetAttribute("setup"));
    }

    [Fact]
    public void Rejects_video_with_port_zero_and_leaves_it_out_of_bundle()
    {
        var result = SdpAnswerer.Answer(SdpOffers.Browser(withVideo: true), Options());
        Assert.True(result.Succeeded, result.Message);
        SdpParser.TryParse(result.Negotiated!.AnswerSdp, out var answer);
        Assert.Equal(3, answer.Media.Count);
        Assert.Equal(0, answer.Media[2].Port);
        Assert.Equal("2", answer.Media[2].Mid);
        Assert.Equal("BUNDLE 0 1", answer.GetAttribute("group"));
    }

    [Theory]
    [InlineData("recvonly", "sendonly", true, false)]
    [InlineData("sendonly", "recvonly", false, true)]
    public void Directions_mirror_the_offer(string offered, string answered, bool weSend, bool weReceive)
    {
        var n = SdpAnswerer.Answer(SdpOffers.Browser(audioDirection: offered), Options()).Negotiated!;
        SdpParser.TryParse(n.AnswerSdp, out var answer);
        Assert.True(answer.Media[0].HasAttribute(answered));
        Assert.Equal(weSend, n.SendAudio);
        Assert.Equal(weReceive, n.ReceiveAudio);
        Assert.Equal(weSend, answer.Media[0].HasAttribute("msid"));
    }

    [Fact]
    public void Offer_without_audio_is_refused_clearly()
    {
        string offer = SdpOffers.Browser();
        int m = offer.IndexOf("m=audio", StringComparison.Ordinal);
        int app = offer.IndexOf("m=application", StringComparison.Ordinal);
        offer = offer[..m] + offer[app..];
        var result = SdpAnswerer.Answer(offer, Options());
        Assert.Equal(SdpOfferError.NoAudio, result.Error);
        Assert.Contains("no audio", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offer_without_opus_is_refused()
    {
        string offer = SdpOffers.Browser().Replace("opus/48000/2", "foo/48000/2", StringComparison.Ordinal);
        Assert.Equal(SdpOfferError.NoOpus, SdpAnswerer.Answer(offer, Options()).Error);
    }

    [Fact]
    public void Offer_without_fingerprint_is_refused()
    {
        string offer = SdpOffers.Browser().Replace("a=fingerprint:" + SdpOffers.Fingerprint + "\r\n", string.Empty, StringComparison.Ordinal);
        Assert.Equal(SdpOfferError.MissingFingerprint, SdpAnswerer.Answer(offer, Options()).Error);
    }

    [Fact]
    public void Offer_without_ice_credentials_or_rtcp_mux_is_refused()
    {
        string noPwd = SdpOffers.Browser().Replace("a=ice-pwd:0123456789012345678901\r\n", string.Empty, StringComparison.Ordinal);
        Assert.Equal(SdpOfferError.MissingIceCredentials, SdpAnswerer.Answer(noPwd, Options()).Error);
        string noMux = SdpOffers.Browser().Replace("a=rtcp-mux\r\n", string.Empty, StringComparison.Ordinal);
        Assert.Equal(SdpOfferError.NoRtcpMux, SdpAnswerer.Answer(noMux, Options()).Error);
        Assert.Equal(SdpOfferError.Unparseable, SdpAnswerer.Answer("garbage", Options()).Error);
        Assert.Equal(SdpOfferError.InvalidSetup, SdpAnswerer.Answer(SdpOffers.Browser(setup: "holdconn"), Options()).Error);
    }
}

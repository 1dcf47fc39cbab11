using MediaServer.Rtc.Sdp;
using MediaServer.Rtc.Tests.Sdp;
using MediaServer.Rtc.WebRtc;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Rtc.Tests.WebRtc;

public sealed class WebRtcEndpointTests
{
    [Fact]
    public async Task Offers_it_cannot_serve_are_refused_without_creating_a_call()
    {
        await using var endpoint = new WebRtcEndpoint(new WebRtcOptions { WarmUpHandshakes = 0 }, TimeProvider.System, NullLoggerFactory.Instance);
        await endpoint.StartAsync();
        string noFingerprint = SdpOffers.Browser().Replace("a=fingerprint:" + SdpOffers.Fingerprint + "\r\n", string.Empty, StringComparison.Ordinal);
        var refused = endpoint.Accept(noFingerprint);
        Assert.False(refused.Succeeded);
        Assert.Equal(SdpOfferError.MissingFingerprint, refused.Error);
        Assert.Null(refused.Connection);
        Assert.Equal(SdpOfferError.Unparseable, endpoint.Accept("hello").Error);
        Assert.Equal(0, endpoint.ConnectionCount);
        Assert.Equal(0, endpoint.Mux.AgentCount);
    }

    [Fact]
    public async Task An_accepted_offer_gets_an_answer_with_our_port_fingerprint_and_a_live_connection()
    {
        await using var endpoint = new WebRtcEndpoint(new WebRtcOptions { WarmUpHandshakes = 0 }, TimeProvider.System, NullLoggerFactory.Instance);
        await endpoint.StartAsync();
        var accepted = endpoint.Accept(SdpOffers.Browser(withCandidates: false));
        Assert.True(accepted.Succeeded, accepted.Message);
        Assert.Contains($"m=audio {endpoint.LocalEndPoint.Port} UDP/TLS/RTP/SAVPF 111 110", accepted.AnswerSdp, StringComparison.Ordinal);
        Assert.Contains("a=fingerprint:" + endpoint.Certificate.Fingerprint, accepted.AnswerSdp, StringComparison.Ordinal);
        Assert.Contains("a=msid:agent agent-audio", accepted.AnswerSdp, StringComparison.Ordinal);
        Assert.Equal(WebRtcConnectionState.New, accepted.Connection!.State);
        Assert.Same(accepted.Connection, endpoint.Find(accepted.Connection.Id));
        await accepted.Connection.CloseAsync("test");
        Assert.Equal(0, endpoint.ConnectionCount);
        Assert.Equal("test", accepted.Connection.CloseReason);
    }
}

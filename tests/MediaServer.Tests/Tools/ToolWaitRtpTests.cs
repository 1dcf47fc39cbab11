using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Tools;

/// <summary>
/// While a WebRTC caller's client runs a function tool, the server's outgoing RTP keeps flowing (silence at the
/// 50 packets a second of 20 ms Opus frames) instead of stopping, counted by libwebrtc's own inbound-rtp stats;
/// and the answer's play-out end still comes as <c>output_audio_buffer.stopped</c>.
/// </summary>
public sealed class ToolWaitRtpTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Outgoing_rtp_keeps_flowing_while_a_function_call_waits_for_its_output()
    {
        var result = await WebRtcRealtimeCallTests.RunPeerAsync("realtime-webrtc-tool-wait.js", fixture.Server.HttpBase.ToString().TrimEnd('/'), "test-key", "2000");
        Assert.True(result["errors"]!.AsArray().Count == 0, result.ToJsonString());
        Assert.Equal("get_weather", (string?)result["functionName"]);
        int packets = (int)result["waitPackets"]!;
        // 2 s at 50 packets a second is 100; allow for the loaded 2-core machine's scheduling, never near 0.
        Assert.True(packets >= 70, $"only {packets} RTP packets in 2 s of tool wait: {result.ToJsonString()}");
        Assert.Equal("completed", (string?)result["status"]);
        Assert.Contains("4", (string?)result["finalTranscript"]);

        // Play-out end is watched on the WebRTC leg's media clock; the keep-alive has left it when the answer came.
        Assert.True((bool)result["finalStopped"]!, result.ToJsonString());
    }
}

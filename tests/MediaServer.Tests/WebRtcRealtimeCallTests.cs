using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests;

/// <summary>
/// Browsers' way in: libwebrtc (@roamhq/wrtc in Node) posts its offer to <c>POST /v1/realtime/calls</c>, speaks on
/// its microphone track, reads the Realtime events on <c>oai-events</c> and hears the agent on the remote track.
/// </summary>
public sealed class WebRtcRealtimeCallTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Libwebrtc_peer_talks_to_the_agent_through_the_calls_endpoint()
    {
        string speech = Path.Combine(Path.GetTempPath(), $"webrtc-speech-{Guid.NewGuid():N}.raw");
        await File.WriteAllBytesAsync(speech, TestSpeech.Pcm("what time is it", 48_000, leadSeconds: 1.0, tailSeconds: 1.5));
        var result = await RunPeerAsync("realtime-webrtc-client.js", Server.HttpBase.ToString().TrimEnd('/'), speech, "test-key");
        var events = result["events"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.True(result["errors"]!.AsArray().Count == 0, result.ToJsonString());
        Assert.StartsWith("rtc_", (string?)result["callId"]);
        Assert.True(events.Count > 0, result.ToJsonString() + "\n" + Server.Output[^Math.Min(3000, Server.Output.Length)..]);
        Assert.Equal("session.created", events[0]);
        Assert.Contains("input_audio_buffer.speech_started", events);
        Assert.Contains("input_audio_buffer.speech_stopped", events);
        // The speech crosses libwebrtc's capture timer, Opus, the network and our jitter buffer in real time on a
        // loaded 2-core machine, so an occasional word may be damaged: three of the four words must come through.
        string transcript = (string?)result["transcript"] ?? "";
        int heard = new[] { "what", "time", "is", "it" }.Count(w => transcript.Split(' ').Contains(w));
        Assert.True(heard >= 3, $"transcript '{transcript}'");
        Assert.Contains("output_audio_buffer.started", events);
        Assert.DoesNotContain("response.output_audio.delta", events);
        Assert.Equal("completed", (string?)result["status"]);
        Assert.StartsWith("It is", (string?)result["agentTranscript"]);
        Assert.True((int)result["loudAudioFrames"]! >= 50, $"agent audio too quiet: {result.ToJsonString()}");
    }

    [Theory]
    [InlineData("this is not sdp", "invalid_sdp")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", "sdp_no_audio")]
    public async Task Offers_that_cannot_be_served_get_a_400_with_a_reason(string sdp, string code)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.HttpBase, "/v1/realtime/calls"))
        {
            Content = new StringContent(sdp, Encoding.UTF8, "application/sdp"),
        };
        request.Headers.Authorization = new("Bearer", "test-key");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(code, (string?)body["error"]!["code"]);
    }

    [Fact]
    public async Task Browser_preflight_is_allowed_and_location_is_exposed()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(Server.HttpBase, "/v1/realtime/calls"));
        request.Headers.Add("Origin", "https://app.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.HttpBase, "/v1/realtime/calls"))
        {
            Content = new StringContent("bad", Encoding.UTF8, "application/sdp"),
        };
        post.Headers.Add("Origin", "https://app.example");
        post.Headers.Authorization = new("Bearer", "test-key");
        using var posted = await http.SendAsync(post);
        Assert.Contains("Location", posted.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
    }

    internal static async Task<JsonObject> RunPeerAsync(string script, params string[] args)
    {
        string peers = Path.Combine(TestPaths.RepositoryRoot, "tests", "peers");
        var psi = new ProcessStartInfo("node") { WorkingDirectory = peers, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        string output = await stdout;
        string line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
                      ?? throw new InvalidOperationException($"The peer printed nothing: {await stderr}");
        return JsonNode.Parse(line)!.AsObject();
    }
}

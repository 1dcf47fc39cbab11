using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests;

/// <summary>
/// The agent calls out: <c>POST /v1/realtime/calls/dial</c> rings SIPp (as the far end), the answered call runs a
/// realtime session that a sideband socket steers, and <c>/hangup</c> ends it with a BYE that SIPp expects.
/// </summary>
public sealed class SipDialOutTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync("--MediaServer:Engines:WarmUp=false");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Dial_runs_a_session_on_the_answered_call_and_hangup_sends_bye()
    {
        string ulaw = Path.Combine(Path.GetTempPath(), $"callee-{Guid.NewGuid():N}.ulaw");
        await File.WriteAllBytesAsync(ulaw, TestSpeech.Ulaw("hello who is this", 0.5, 2.0));
        int sippPort = SippRunner.FreeUdpPort();
        // SIPp is the far end (UAS): it waits on sippPort for the server's INVITE.
        var sipp = SippRunner.RunAsync(
            Path.Combine(TestPaths.RepositoryRoot, "tests", "MediaServer.Tests", "Scenarios", "uas_call.xml"), server: null,
            new Dictionary<string, string> { ["ulaw_file"] = ulaw }, timeout: TimeSpan.FromSeconds(60), localPort: sippPort);
        await Task.Delay(500);

        using var http = new HttpClient();
        using var bad = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.HttpBase, "/v1/realtime/calls/dial")) { Content = JsonContent.Create(new { target_uri = "mailto:x" }) };
        bad.Headers.Authorization = new("Bearer", "test");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(bad)).StatusCode);

        using var dial = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.HttpBase, "/v1/realtime/calls/dial"))
        {
            Content = JsonContent.Create(new
            {
                target_uri = $"sip:callee@127.0.0.1:{sippPort}",
                session = new { type = "realtime", instructions = "Say: Hello, this is your agent calling.", audio = new { input = new { turn_detection = (object?)null } } },
            }),
        };
        dial.Headers.Authorization = new("Bearer", "test");
        using var dialed = await http.SendAsync(dial);
        string body = await dialed.Content.ReadAsStringAsync();
        Assert.True(dialed.StatusCode == HttpStatusCode.OK, body + "\n" + _server.Output[^Math.Min(3000, _server.Output.Length)..]);
        string callId = (string)JsonNode.Parse(body)!["call_id"]!;

        await using var monitor = await RealtimeTestClient.ConnectAsync(_server, query: "call_id=" + callId);
        await monitor.WaitForAsync("session.created");
        await monitor.SendAsync(new { type = "response.create" });
        await monitor.WaitForAsync("output_audio_buffer.started", 30);
        var done = await monitor.WaitForAsync("response.done", 30);
        Assert.Equal("Hello, this is your agent calling.", (string?)done["response"]!["output"]![0]!["content"]![0]!["transcript"]);
        await monitor.WaitForAsync("output_audio_buffer.stopped", 30);

        using var hangup = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.HttpBase, $"/v1/realtime/calls/{callId}/hangup"));
        hangup.Headers.Authorization = new("Bearer", "test");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(hangup)).StatusCode);
        var (exitCode, output) = await sipp.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, output);
    }
}

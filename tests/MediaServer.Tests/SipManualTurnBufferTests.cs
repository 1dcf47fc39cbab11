using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests;

/// <summary>
/// A phone call with manual turns (turn detection off, set when the call is accepted) whose application never
/// commits: the call's audio fills the input buffer to <c>MaxInputBufferSeconds</c>, then frames are dropped and the
/// call's sideband is told once with <c>input_audio_buffer_full</c> (not once per 20 ms frame). A commit makes room,
/// and the call stays up.
/// </summary>
public sealed class SipManualTurnBufferTests : IAsyncLifetime
{
    private readonly HttpListener _webhook = new();
    private readonly TaskCompletionSource<string> _callId = new();
    private ServerProcess _server = null!;
    private int _sipPort;

    public async Task InitializeAsync()
    {
        int webhookPort = ServerProcess.FreeTcpPort();
        _webhook.Prefixes.Add($"http://127.0.0.1:{webhookPort}/hook/");
        _webhook.Start();
        _ = Task.Run(async () =>
        {
            var context = await _webhook.GetContextAsync();
            var body = await JsonNode.ParseAsync(context.Request.InputStream);
            _callId.TrySetResult((string)body!["data"]!["call_id"]!);
            context.Response.StatusCode = 200;
            context.Response.Close();
        });
        _sipPort = ServerProcess.FreeTcpPort();
        _server = await ServerProcess.StartAsync(
            $"--MediaServer:Calls:WebhookUrl=http://127.0.0.1:{webhookPort}/hook/",
            $"--MediaServer:Sip:Port={_sipPort}",
            "--MediaServer:Realtime:MaxInputBufferSeconds=2",
            "--MediaServer:Engines:WarmUp=false");
    }

    public async Task DisposeAsync()
    {
        _webhook.Close();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Call_audio_past_the_buffer_maximum_is_dropped_and_reported_once_until_a_commit_makes_room()
    {
        string ulaw = Path.Combine(Path.GetTempPath(), $"caller-{Guid.NewGuid():N}.ulaw");
        File.WriteAllBytes(ulaw, TestSpeech.Ulaw("hello there", leadSeconds: 0.5, tailSeconds: 14.0));
        var sipp = SippRunner.RunAsync(
            Path.Combine(TestPaths.RepositoryRoot, "tests", "MediaServer.Tests", "Scenarios", "sip_call.xml"),
            new IPEndPoint(IPAddress.Loopback, _sipPort),
            new Dictionary<string, string> { ["ulaw_file"] = ulaw, ["call_ms"] = 16000.ToString(CultureInfo.InvariantCulture) },
            timeout: TimeSpan.FromSeconds(60));

        string callId = await _callId.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        using var accept = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.HttpBase, $"/v1/realtime/calls/{callId}/accept"))
        {
            Content = JsonContent.Create(new { type = "realtime", audio = new { input = new { turn_detection = (object?)null } } }),
        };
        accept.Headers.Authorization = new("Bearer", "test");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(accept)).StatusCode);

        await using var monitor = await RealtimeTestClient.ConnectAsync(_server, query: "call_id=" + callId);
        await monitor.WaitForAsync("session.created");
        var full = (await monitor.WaitForAsync("error", 30))["error"]!;
        Assert.Equal("input_audio_buffer_full", (string?)full["code"]);
        Assert.Contains("maximum of 2 s", (string)full["message"]!, StringComparison.Ordinal);

        // Frames keep arriving and are refused for this half second; the sideband heard about it once.
        await Task.Delay(500);
        Assert.Single(monitor.All("error"), e => (string?)e["error"]!["code"] == "input_audio_buffer_full");
        // The commit takes the 2 s buffered.
        await monitor.SendAsync(new { type = "input_audio_buffer.commit" });
        var committed = await monitor.WaitForAsync("input_audio_buffer.committed", 10);
        var item = await monitor.WaitForAsync("conversation.item.done", 10, e => (string?)e["item"]!["id"] == (string?)committed["item_id"]);
        Assert.Equal("user", (string?)item["item"]!["role"]);

        // The buffer had room again, so the next overflow (2 s later, the caller still talking) is reported anew.
        await monitor.WaitForAsync("error", 30, e => (string?)e["error"]!["code"] == "input_audio_buffer_full");
        await Task.Delay(500);
        Assert.Equal(2, monitor.All("error").Count(e => (string?)e["error"]!["code"] == "input_audio_buffer_full"));

        var (exitCode, output) = await sipp;
        Assert.True(exitCode == 0, output + "\n" + _server.Output[^Math.Min(4000, _server.Output.Length)..]);
    }
}

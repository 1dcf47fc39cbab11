using System.Net;
using System.Net.Http.Json;
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
    private SipCallServer _sip = null!;

    public async Task InitializeAsync() => _sip = await SipCallServer.StartAsync("--MediaServer:Realtime:MaxInputBufferSeconds=2", "--MediaServer:Engines:WarmUp=false");

    public async Task DisposeAsync() => await _sip.DisposeAsync();

    [Fact]
    public async Task Call_audio_past_the_buffer_maximum_is_dropped_and_reported_once_until_a_commit_makes_room()
    {
        var sipp = SippCaller.CallAsync(_sip.SipPort, TestSpeech.Ulaw("hello there", leadSeconds: 0.5, tailSeconds: 14.0), callMs: 16000);

        string callId = (await _sip.Webhook.First.WaitAsync(TimeSpan.FromSeconds(30))).CallId;
        using var http = new HttpClient();
        using var accept = new HttpRequestMessage(HttpMethod.Post, new Uri(_sip.Server.HttpBase, $"/v1/realtime/calls/{callId}/accept"))
        {
            Content = JsonContent.Create(new { type = "realtime", audio = new { input = new { turn_detection = (object?)null } } }),
        };
        accept.Headers.Authorization = new("Bearer", "test");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(accept)).StatusCode);

        await using var monitor = await RealtimeTestClient.ConnectAsync(_sip.Server, query: "call_id=" + callId);
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
        Assert.True(exitCode == 0, output + "\n" + _sip.Server.Output[^Math.Min(4000, _sip.Server.Output.Length)..]);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests;

/// <summary>
/// A phone call through the whole product: SIPp (Debian's real SIP peer) calls the server and streams G.711 speech;
/// the signed <c>realtime.call.incoming</c> webhook reaches the application, which accepts the call with a session
/// config, attaches a sideband socket with <c>?call_id=</c>, and sees the caller's turn and the agent's spoken answer.
/// </summary>
public sealed class SipRealtimeCallTests : IAsyncLifetime
{
    private const string Secret = "whsec_dGVzdC1zZWNyZXQtZm9yLXdlYmhvb2tz";
    private SipCallServer _sip = null!;

    public async Task InitializeAsync() => _sip = await SipCallServer.StartAsync($"--MediaServer:Calls:WebhookSecret={Secret}");

    public async Task DisposeAsync() => await _sip.DisposeAsync();

    [Fact]
    public async Task Sipp_call_is_announced_accepted_monitored_and_answered_by_voice()
    {
        // Three seconds of silence first: the caller starts speaking after the sideband socket below has attached.
        var sipp = SippCaller.CallAsync(_sip.SipPort, TestSpeech.Ulaw("hello can you hear me", leadSeconds: 3.0, tailSeconds: 2.0), callMs: 11000);

        var hook = await _sip.Webhook.First.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("realtime.call.incoming", (string?)hook.Body["type"]);
        string callId = (string)hook.Body["data"]!["call_id"]!;
        Assert.StartsWith("rtc_", callId);
        var headers = hook.Body["data"]!["sip_headers"]!.AsArray().Select(h => (string)h!["name"]!).ToList();
        Assert.Contains("Call-ID", headers);
        Assert.Contains("From", headers);
        string expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            Convert.FromBase64String(Secret["whsec_".Length..]),
            (byte[])[.. Encoding.UTF8.GetBytes($"{hook.Id}.{hook.Timestamp}."), .. hook.Raw]));
        Assert.Equal("v1," + expected, hook.Signature);

        using var http = new HttpClient();
        using var accept = new HttpRequestMessage(HttpMethod.Post, new Uri(_sip.Server.HttpBase, $"/v1/realtime/calls/{callId}/accept"))
        {
            Content = JsonContent.Create(new { type = "realtime", instructions = "Say: Yes, I can hear you clearly." }),
        };
        accept.Headers.Authorization = new("Bearer", "test");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(accept)).StatusCode);

        await using var monitor = await RealtimeTestClient.ConnectAsync(_sip.Server, query: "call_id=" + callId);
        var created = await monitor.WaitForAsync("session.created");
        Assert.Equal("Say: Yes, I can hear you clearly.", (string?)created["session"]!["instructions"]);
        using var list = new HttpRequestMessage(HttpMethod.Get, new Uri(_sip.Server.HttpBase, "/v1/realtime/calls"));
        list.Headers.Authorization = new("Bearer", "test");
        var listed = JsonNode.Parse(await (await http.SendAsync(list)).Content.ReadAsStringAsync())!["data"]!.AsArray()
            .Single(c => (string?)c!["id"] == callId)!;
        Assert.Equal("sip", (string?)listed["transport"]);
        Assert.Equal("pcmu", (string?)listed["codec"]);
        Assert.Equal("active", (string?)listed["status"]);
        await monitor.WaitForAsync("input_audio_buffer.speech_started", 30);
        await monitor.WaitForAsync("input_audio_buffer.speech_stopped", 30);
        var committed = await monitor.WaitForAsync("input_audio_buffer.committed", 10);
        // The embedded STT cannot read 8 kHz telephone speech (README), so only the event is asserted, not its words.
        await monitor.WaitForAnyAsync("conversation.item.input_audio_transcription.completed", 30);
        Assert.Contains(monitor.All("conversation.item.input_audio_transcription.completed"), e => (string?)e["item_id"] == (string?)committed["item_id"]);
        await monitor.WaitForAsync("output_audio_buffer.started", 30);
        var done = await monitor.WaitForAsync("response.done", 30);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
        Assert.Equal("Yes, I can hear you clearly.", (string?)done["response"]!["output"]![0]!["content"]![0]!["transcript"]);
        Assert.Empty(monitor.All("response.output_audio.delta"));

        var (exitCode, output) = await sipp;
        Assert.True(exitCode == 0, output + "\n" + _sip.Server.Output[^Math.Min(4000, _sip.Server.Output.Length)..]);
        await monitor.WaitClosedAsync(15);

        using var gone = new HttpRequestMessage(HttpMethod.Post, new Uri(_sip.Server.HttpBase, $"/v1/realtime/calls/{callId}/hangup"));
        gone.Headers.Authorization = new("Bearer", "test");
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(gone)).StatusCode);
    }
}

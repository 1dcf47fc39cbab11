using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Upstream;

/// <summary>
/// The upstream process dies in the middle of an answer: the client on F gets an <c>error</c> saying so, the
/// response it was waiting for ends <c>failed</c> with the same code, and the session stays open, refusing what
/// needs the upstream with <c>upstream_unavailable</c>.
/// </summary>
public sealed class UpstreamLossTests : IAsyncLifetime
{
    private ServerProcess _upstream = null!;
    private ServerProcess _front = null!;
    private bool _upstreamKilled;

    public async Task InitializeAsync()
    {
        _upstream = await ServerProcess.StartAsync();
        _front = await ServerProcess.StartAsync(
            $"--MediaServer:Upstream:Providers:u:Url=ws://127.0.0.1:{_upstream.Port}/v1/realtime",
            "--MediaServer:Upstream:Providers:u:ApiKey=any-key",
            "--MediaServer:Upstream:Providers:u:TurnDetection=upstream");
    }

    public async Task DisposeAsync()
    {
        await _front.DisposeAsync();
        if (!_upstreamKilled)
        {
            await _upstream.DisposeAsync();
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Losing_the_upstream_mid_answer_fails_the_response_and_keeps_the_session()
    {
        string longScript = string.Join(' ', Enumerable.Repeat("I am going to keep talking for quite some time now.", 200));
        await using var client = await RealtimeTestClient.ConnectAsync(_front, "model=u/gpt-realtime");
        await client.WaitForAsync("session.created");
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Say: " + longScript } });
        await client.WaitForAsync("session.updated");
        await client.SendAsync(new { type = "response.create" });
        string id = (string)(await client.WaitForAsync("response.created", 30))["response"]!["id"]!;
        await client.WaitForAsync("response.output_audio.delta", 60);
        _upstreamKilled = true;
        await _upstream.DisposeAsync();

        var error = (await client.WaitForAsync("error", 30))["error"]!;
        Assert.Equal("server_error", (string?)error["type"]);
        Assert.Equal("upstream_disconnected", (string?)error["code"]);
        var done = (await client.WaitForAsync("response.done", 30, e => (string?)e["response"]!["id"] == id))["response"]!;
        Assert.Equal("failed", (string?)done["status"]);
        Assert.Equal("upstream_disconnected", (string?)done["status_details"]!["error"]!["code"]);

        await client.SendAsync(new { type = "response.create" });
        Assert.Equal("upstream_unavailable", (string?)(await client.WaitForAsync("error", 30))["error"]!["code"]);
        Assert.Null(client.CloseStatus);
    }
}

using System.Net.WebSockets;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Security;

/// <summary>The server-wide session cap and the session lifetime, each with its protocol signal.</summary>
public sealed class SessionLimitsTests
{
    [Fact]
    public async Task A_server_at_capacity_refuses_new_sessions_with_503_and_serves_the_live_one()
    {
        await using var server = await ServerProcess.StartAsync("--MediaServer:Realtime:MaxConcurrentSessions=1", "--MediaServer:Engines:WarmUp=false");
        await using var first = await RealtimeTestClient.ConnectAsync(server, key: "k1");
        await first.WaitForAsync("session.created");

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => RealtimeTestClient.ConnectAsync(server, key: "k2"));
        Assert.Contains("503", refused.Message, StringComparison.Ordinal);

        // The live session is not disturbed by the refusal.
        await first.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Say: still here", output_modalities = new[] { "text" } } });
        await first.WaitForAsync("session.updated");
        await first.SendAsync(new { type = "response.create" });
        var done = await first.WaitForAsync("response.done", 30);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
    }

    [Fact]
    public async Task A_session_is_warned_before_its_maximum_length_then_ended_with_session_expired()
    {
        // 0.1 minutes = 6 s, warned 4 s before the end.
        await using var server = await ServerProcess.StartAsync(
            "--MediaServer:Realtime:MaxSessionMinutes=0.1", "--MediaServer:Realtime:SessionExpiryWarningSeconds=4", "--MediaServer:Engines:WarmUp=false");
        await using var client = await RealtimeTestClient.ConnectAsync(server);
        var created = await client.WaitForAsync("session.created");
        long expiresAt = (long)created["session"]!["expires_at"]!;

        var warning = await client.WaitForAsync("session.expiring", 15);
        Assert.Equal(expiresAt, (long)warning["expires_at"]!);
        Assert.InRange((int)warning["seconds_remaining"]!, 1, 4);

        var error = (await client.WaitForAsync("error", 15))["error"]!;
        Assert.Equal("session_expired", (string?)error["code"]);
        await client.WaitClosedAsync();
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeSeconds() >= expiresAt - 1, "ended before its expires_at");
    }
}

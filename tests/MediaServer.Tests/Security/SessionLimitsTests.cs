using System.Net.WebSockets;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Security;

/// <summary>The server-wide session cap, the session lifetime and the input audio buffer's maximum, each with its protocol signal.</summary>
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

    [Fact]
    public async Task An_append_past_the_input_buffer_maximum_is_refused_and_the_buffered_audio_commits_whole()
    {
        await using var server = await ServerProcess.StartAsync("--MediaServer:Realtime:MaxInputBufferSeconds=3", "--MediaServer:Engines:WarmUp=false");
        await using var client = await RealtimeTestClient.ConnectAsync(server);
        await client.WaitForAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new { type = "realtime", instructions = "Say: got it", output_modalities = new[] { "text" }, audio = new { input = new { turn_detection = (object?)null } } },
        });
        await client.WaitForAsync("session.updated");

        // About two seconds of speech fits; two more seconds of silence would not, twice.
        byte[] speech = TestSpeech.Pcm("what time is it", tailSeconds: 0.3);
        Assert.InRange(speech.Length / 48_000.0, 1.5, 2.7);
        await client.AppendAudioAsync(speech);
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            await client.SendAsync(new { type = "input_audio_buffer.append", event_id = $"evt_full{attempt}", audio = Convert.ToBase64String(TestSpeech.Silence(2)) });
            var error = (await client.WaitForAsync("error", 30))["error"]!;
            Assert.Equal("invalid_request_error", (string?)error["type"]);
            Assert.Equal("input_audio_buffer_full", (string?)error["code"]);
            Assert.Equal("audio", (string?)error["param"]);
            Assert.Equal($"evt_full{attempt}", (string?)error["event_id"]);
        }

        // Nothing buffered was lost: the commit holds the whole utterance and transcribes it.
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        string itemId = (string)(await client.WaitForAsync("input_audio_buffer.committed", 30))["item_id"]!;
        Assert.Equal("what time is it", (string?)(await client.WaitForAsync("conversation.item.input_audio_transcription.completed", 60))["transcript"]);
        await client.SendAsync(new { type = "conversation.item.retrieve", item_id = itemId });
        var retrieved = await client.WaitForAsync("conversation.item.retrieved", 30);
        int committedBytes = Convert.FromBase64String((string)retrieved["item"]!["content"]![0]!["audio"]!).Length;
        // At most the last partial 20 ms frame (960 bytes at 24 kHz) is still on its way into the buffer.
        Assert.InRange(committedBytes, speech.Length - 960, speech.Length);

        // The emptied buffer takes audio again and the session answers.
        await client.AppendAudioAsync(TestSpeech.Silence(2));
        await client.SendAsync(new { type = "response.create" });
        Assert.Equal("completed", (string?)(await client.WaitForAsync("response.done", 60))["response"]!["status"]);
        Assert.Equal(2, client.All("error").Count);
        Assert.Null(client.CloseStatus);
        Assert.Single(server.Output.Split('\n'), l => l.Contains("Input audio buffer full", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_over_a_configured_maximum_that_is_not_a_power_of_two_is_refused_and_one_under_it_is_served()
    {
        // 100,000 bytes: the receive buffer grows through pooled arrays of 128 KiB, which must not raise the limit.
        await using var server = await ServerProcess.StartAsync("--MediaServer:Realtime:MaxMessageBytes=100000", "--MediaServer:Engines:WarmUp=false");
        await using var client = await RealtimeTestClient.ConnectAsync(server);
        await client.WaitForAsync("session.created");

        await client.SendAsync(new { type = "input_audio_buffer.append", event_id = "evt_big", audio = Convert.ToBase64String(TestSpeech.Silence(1.8)) });
        var error = (await client.WaitForAsync("error", 30))["error"]!;
        Assert.Equal("message_too_large", (string?)error["code"]);
        Assert.Contains("100000 bytes", (string?)error["message"], StringComparison.Ordinal);

        // Just under the limit is an ordinary event; the session goes on.
        await client.SendAsync(new { type = "input_audio_buffer.append", audio = Convert.ToBase64String(TestSpeech.Silence(1.5)) });
        await client.SendAsync(new { type = "input_audio_buffer.clear" });
        await client.WaitForAsync("input_audio_buffer.cleared", 30);
        Assert.Single(client.All("error"));
        Assert.Null(client.CloseStatus);
    }
}

using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.BargeIn;

/// <summary>
/// Barge-in through the WebSocket API, with a client that behaves like a speakerphone: it plays the agent's audio in
/// real time from the first delta and its microphone hears that playback back at -10 dB, 120 ms later (no echo
/// cancellation), while it streams input in real time. Over that echo it says "uh huh" (the agent must keep
/// talking), then a real sentence (the agent must stop: speech_started, response cancelled with turn_detected, and
/// the client truncates the item at what it played).
/// </summary>
public sealed class BargeInEndToEndTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Rate = Speakerphone.Rate;

    [Fact]
    public async Task Backchannel_and_echo_do_not_stop_the_agent_and_a_real_sentence_does()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.Server);
        await client.WaitForAsync("session.created");
        string script = string.Join(' ', Enumerable.Repeat("Your parcel left the depot this morning and the driver will call before arriving.", 200));
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                instructions = "Say: " + script,
                audio = new { input = new { turn_detection = new { type = "server_vad", false_interruption_timeout_ms = (int?)null } } },
            },
        });
        var updated = await client.WaitForAsync("session.updated");
        var td = updated["session"]!["audio"]!["input"]!["turn_detection"]!;
        Assert.Equal("ignore", (string?)td["backchannel_handling"]);

        var phone = new Speakerphone();
        await phone.StreamAsync(client, Rate / 2);
        await client.SendAsync(new { type = "response.create" });
        string responseId = (string)(await client.WaitForAsync("response.created"))["response"]!["id"]!;
        await phone.StreamAsync(client, phone.Position + (Rate * 10), () => phone.PlaybackStart >= 0);
        Assert.True(phone.PlaybackStart >= 0, "no agent audio");

        // Echo alone, then "uh huh" over it: the agent keeps talking.
        // (The speech is synthesised far faster than real time, about 35x on an idle 2-core machine: 40 sentences were
        // all generated before the real sentence came, and response.done left nothing to cancel. 200 sentences, some
        // 1,000 s of speech, keep the response generating well past it.)
        phone.Say(Speakerphone.Speech("uh huh"), phone.PlaybackStart + (Rate * 3 / 2));
        await phone.StreamAsync(client, phone.PlaybackStart + (Rate * 4));
        Assert.Empty(client.All("input_audio_buffer.speech_started"));
        Assert.DoesNotContain(client.All("response.done"), e => (string?)e["response"]!["status"] == "cancelled");

        // A real sentence: the agent stops.
        long sentenceAt = phone.Position;
        phone.Say(Speakerphone.Speech("wait stop please I have a question about my order"), sentenceAt);
        await phone.StreamAsync(client, sentenceAt + (Rate * 6), () => client.All("input_audio_buffer.speech_started").Count > 0);
        var started = await client.WaitForAsync("input_audio_buffer.speech_started", 10);
        long audioStartMs = (long)started["audio_start_ms"]!;
        long sentenceMs = sentenceAt * 1000 / Rate;
        Assert.True(Math.Abs(audioStartMs - sentenceMs) <= 600, $"speech_started at {audioStartMs} ms, the sentence began at {sentenceMs} ms");
        var done = await client.WaitForAsync("response.done", 20, e => (string?)e["response"]!["id"] == responseId);
        Assert.Equal("cancelled", (string?)done["response"]!["status"]);
        Assert.Equal("turn_detected", (string?)done["response"]!["status_details"]!["reason"]);

        // The client reports what it played; the server cuts the item there.
        string itemId = (string)done["response"]!["output"]![0]!["id"]!;
        long played = phone.PlayedMs;
        Assert.True(played > 4000, $"played {played} ms");
        await client.SendAsync(new { type = "conversation.item.truncate", item_id = itemId, content_index = 0, audio_end_ms = played });
        var truncated = await client.WaitForAsync("conversation.item.truncated", 10);
        Assert.Equal(played, (long)truncated["audio_end_ms"]!);
        Assert.Equal(itemId, (string?)truncated["item_id"]);
    }
}

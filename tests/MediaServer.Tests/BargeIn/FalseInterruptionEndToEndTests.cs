using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.BargeIn;

/// <summary>
/// False-interruption recovery through the WebSocket API: a long hum (voiced, longer than an interruption needs, but
/// no words) stops the agent; when it ends with no words recognised, the sound is dropped (no user item, no answer
/// to it) and the agent says the rest of what it was saying in a new response.
/// </summary>
public sealed class FalseInterruptionEndToEndTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Rate = Speakerphone.Rate;

    /// <summary>Long enough that the response is still being generated when the hum comes (synthesis runs some 35x
    /// faster than real time on an idle machine: with 40 sentences it had finished, leaving nothing to interrupt).</summary>
    private const int Sentences = 100;

    [Fact]
    public async Task A_wordless_sound_that_stopped_the_agent_makes_it_resume_where_it_stopped()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.Server);
        await client.WaitForAsync("session.created");
        string sentence = "Your parcel left the depot this morning and the driver will call before arriving.";
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                instructions = "Say: " + string.Join(' ', Enumerable.Repeat(sentence, Sentences)),
                audio = new { input = new { turn_detection = new { type = "server_vad", false_interruption_timeout_ms = 3000, false_interruption_recovery = "resume" } } },
            },
        });
        await client.WaitForAsync("session.updated");
        var phone = new Speakerphone(echoGain: 0);
        await phone.StreamAsync(client, Rate / 2);
        await client.SendAsync(new { type = "response.create" });
        string firstId = (string)(await client.WaitForAsync("response.created"))["response"]!["id"]!;
        await phone.StreamAsync(client, phone.Position + (Rate * 10), () => phone.PlaybackStart >= 0);

        phone.Say(Speakerphone.Speech("ahhhhhhhhhh"), phone.PlaybackStart + (Rate * 3 / 2));
        await phone.StreamAsync(client, phone.PlaybackStart + (Rate * 9),
            () => client.All("response.created").Count > 1);
        var done = await client.WaitForAsync("response.done", 10, e => (string?)e["response"]!["id"] == firstId);
        Assert.Equal("cancelled", (string?)done["response"]!["status"]);
        Assert.Equal("turn_detected", (string?)done["response"]!["status_details"]!["reason"]);

        var resumed = await client.WaitForAsync("response.created", 10, e => (string?)e["response"]!["id"] != firstId);
        string resumedId = (string)resumed["response"]!["id"]!;
        var transcript = await client.WaitForAsync("response.output_audio_transcript.done", 120, e => (string?)e["response_id"] == resumedId);
        string rest = (string)transcript["transcript"]!;
        string script = string.Join(' ', Enumerable.Repeat(sentence, Sentences));
        Assert.True(rest.Length > 0 && rest.Length < script.Length, rest);
        Assert.EndsWith("before arriving.", rest, StringComparison.Ordinal);
        Assert.Contains("input_audio_buffer.cleared", client.Events.Select(e => (string?)e["type"]));
        Assert.Empty(client.All("input_audio_buffer.committed")); // the hum is not a turn
    }
}

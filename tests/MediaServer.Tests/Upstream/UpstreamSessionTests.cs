using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Upstream;

/// <summary>
/// A WebSocket client on F talks to U through F: the session config reaches U (its offline responder follows the
/// <c>Say:</c> line F forwarded), the caller's speech reaches U's recogniser, U's spoken answer comes back, and
/// barge-in on F cancels U's response, by F's VAD (turn detection owner <c>local</c>) or by U's (<c>upstream</c>).
/// </summary>
[Collection(UpstreamPairCollection.Name)]
public sealed class UpstreamSessionTests(UpstreamPairFixture pair)
{
    private const string Answer = "The upstream node answered this turn.";

    private static async Task<RealtimeTestClient> ConnectAsync(ServerProcess front, string model, string instructions)
    {
        var client = await RealtimeTestClient.ConnectAsync(front, "model=" + model);
        var created = await client.WaitForAsync("session.created");
        Assert.Equal(model, (string?)created["session"]!["model"]);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions } });
        await client.WaitForAsync("session.updated");
        return client;
    }

    private static byte[] Audio(RealtimeTestClient client) =>
        [.. client.All("response.output_audio.delta").SelectMany(d => Convert.FromBase64String((string)d["delta"]!))];

    [Theory]
    [InlineData("ulocal/gpt-realtime")]
    [InlineData("uvad/gpt-realtime")]
    public async Task Speech_on_the_front_node_is_transcribed_and_answered_by_the_upstream(string model)
    {
        await using var client = await ConnectAsync(pair.Front, model, "Say: " + Answer);
        await client.AppendAudioAsync(TestSpeech.Pcm("what time is it"));
        await client.WaitForAsync("input_audio_buffer.speech_started", 30);
        await client.WaitForAsync("input_audio_buffer.speech_stopped", 30);
        // U's recogniser heard the turn. Its words are U's business: its pooled decoders adapt to the earlier
        // sessions' audio (the barge-in tests' long answers), so the exact words vary with test order.
        var transcript = await client.WaitForAnyAsync("conversation.item.input_audio_transcription.completed", 30);
        Assert.False(string.IsNullOrWhiteSpace((string?)transcript["transcript"]));
        var spoken = await client.WaitForAsync("response.output_audio_transcript.done", 60);
        Assert.Equal(Answer, (string?)spoken["transcript"]);
        var done = await client.WaitForAsync("response.done", 30);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
        byte[] audio = Audio(client);
        Assert.True(audio.Length > 24_000 * 2, $"only {audio.Length} bytes of answer audio");
        Assert.True(TestSpeech.Rms(audio) > 300, "the answer audio is silent");
        // U's events, not F's: F never speaks U's session, and F's own (dead) chat model was never asked.
        Assert.Single(client.All("session.created"));
        Assert.Empty(client.All("error"));
        Assert.Contains("Upstream " + model.Split('/')[0] + " connected", pair.Front.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ulocal/gpt-realtime", "client_cancelled")]
    [InlineData("uvad/gpt-realtime", "turn_detected")]
    public async Task Speaking_over_the_answer_cancels_the_upstream_response(string model, string reason)
    {
        // local: F's VAD hears the caller and sends response.cancel (U reports client_cancelled);
        // upstream: U's own VAD hears the forwarded audio and cancels (turn_detected).
        string longScript = string.Join(' ', Enumerable.Repeat("I am going to keep talking for quite some time now.", 200));
        await using var client = await ConnectAsync(pair.Front, model, "Say: " + longScript);
        await client.SendAsync(new { type = "response.create" });
        var created = await client.WaitForAsync("response.created", 30);
        string id = (string)created["response"]!["id"]!;
        await client.WaitForAsync("response.output_audio.delta", 60);
        await client.AppendAudioAsync(TestSpeech.Pcm("stop please"));
        await client.WaitForAsync("input_audio_buffer.speech_started", 30);
        var done = await client.WaitForAsync("response.done", 30, e => (string?)e["response"]!["id"] == id);
        Assert.Equal("cancelled", (string?)done["response"]!["status"]);
        Assert.Equal(reason, (string?)done["response"]!["status_details"]!["reason"]);
        // The interruption is the next turn, and U answers it.
        await client.WaitForAsync("response.created", 60, e => (string?)e["response"]!["id"] != id);
    }

    [Fact]
    public async Task A_session_on_the_embedded_engines_is_told_an_upstream_model_is_chosen_at_connect()
    {
        // F's own chat provider: this session runs F's embedded engines (gpt-realtime would go to the default upstream).
        await using var client = await RealtimeTestClient.ConnectAsync(pair.Front, "model=dead%2Fnever");
        await client.WaitForAsync("session.created");
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", model = "ulocal/gpt-realtime" } });
        var error = (await client.WaitForAsync("error", 30))["error"]!;
        Assert.Equal("invalid_value", (string?)error["code"]);
        Assert.Equal("session.model", (string?)error["param"]);
        Assert.Contains("speech-to-speech upstream", (string)error["message"]!, StringComparison.Ordinal);
        Assert.Empty(client.All("session.updated"));
    }

    [Fact]
    public async Task The_inworld_dialect_reaches_the_upstream_with_basic_auth_and_the_model_in_the_session()
    {
        await using var client = await ConnectAsync(pair.Front, "uinworld/gpt-realtime-mini", "Say: " + Answer);
        await client.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "hello" } } },
        });
        await client.WaitForAsync("conversation.item.done", 30);
        await client.SendAsync(new { type = "response.create" });
        var spoken = await client.WaitForAsync("response.output_audio_transcript.done", 60);
        Assert.Equal(Answer, (string?)spoken["transcript"]);
        Assert.Equal("completed", (string?)(await client.WaitForAsync("response.done", 30))["response"]!["status"]);
        Assert.Contains("/api/v1/realtime/session", pair.Front.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task G711_clients_get_the_upstreams_pcm_converted()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(pair.Front, "model=uvad/gpt-realtime");
        await client.WaitForAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                instructions = "Say: " + Answer,
                audio = new { input = new { format = new { type = "audio/pcmu" } }, output = new { format = new { type = "audio/pcmu" } } },
            },
        });
        await client.WaitForAsync("session.updated");
        await client.AppendAudioAsync(TestSpeech.Ulaw("what time is it"), 1600);
        // Narrowband speech is recognised poorly by the embedded wideband model, on U as on any node: the turn
        // reaching U is what counts here, not its words.
        await client.WaitForAnyAsync("conversation.item.input_audio_transcription.completed", 30);
        Assert.Equal(Answer, (string?)(await client.WaitForAsync("response.output_audio_transcript.done", 60))["transcript"]);
        await client.WaitForAsync("response.done", 60);
        byte[] ulaw = Audio(client);
        var pcm = new short[ulaw.Length];
        MediaServer.Rtc.Codecs.G711.MuLawDecode(ulaw, pcm);
        // 8 kHz µ-law: one byte per sample, about a second or more of speech, and loud.
        Assert.True(ulaw.Length > 8_000, $"only {ulaw.Length} bytes");
        // Speech, not silence: the loudest 100 ms is well above the µ-law quantisation floor (RMS in sample units).
        double loudest = Enumerable.Range(0, pcm.Length / 800).Max(i => 32768 * MediaServer.Pipeline.Audio.Pcm16.Rms(pcm.AsSpan(i * 800, 800)));
        Assert.True(loudest > 1000, $"loudest 100 ms RMS {loudest:F0} over {ulaw.Length} bytes");
    }

    [Theory]
    [InlineData("udown/gpt-realtime", "upstream_connect_failed", "could not be reached")]
    [InlineData("ubadkey/gpt-realtime", "upstream_unauthorized", "HTTP 401")]
    public async Task An_upstream_that_is_down_or_refuses_us_is_a_clear_error_and_the_session_stays(string model, string code, string message)
    {
        await using var client = await RealtimeTestClient.ConnectAsync(pair.Front, "model=" + model);
        await client.WaitForAsync("session.created");
        var error = (await client.WaitForAsync("error", 30))["error"]!;
        Assert.Equal("server_error", (string?)error["type"]);
        Assert.Equal(code, (string?)error["code"]);
        Assert.Contains(message, (string?)error["message"], StringComparison.Ordinal);
        await client.SendAsync(new { type = "response.create", event_id = "evt_r" });
        var refused = (await client.WaitForAsync("error", 30))["error"]!;
        Assert.Equal("upstream_unavailable", (string?)refused["code"]);
        Assert.Equal("evt_r", (string?)refused["event_id"]);
        // The session itself still answers what it can.
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "x" } });
        await client.WaitForAsync("session.updated");
        Assert.Null(client.CloseStatus);
    }
}

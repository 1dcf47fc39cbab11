using System.Text;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Inworld;

/// <summary>
/// An Inworld-style client against the real server process: Basic auth on
/// <c>/api/v1/realtime/session?key=&amp;protocol=realtime</c>, <c>session.update</c> with <c>providerData</c>, and the
/// Inworld extras (voice profile with an ONNX classifier, rolling transcription deltas, text alongside audio,
/// back-channel while the user talks, a filler when the LLM is slow, ICE servers).
/// </summary>
public sealed class InworldCompatibilityTests(InworldServerFixture fixture) : IClassFixture<InworldServerFixture>
{
    private const string Basic = "Basic dGVzdC1rZXk="; // an Inworld key is already Base64 and is sent as it is

    private ServerProcess Server => fixture.Server;

    private Task<RealtimeTestClient> ConnectAsync(string key) =>
        RealtimeTestClient.ConnectPathAsync(Server, $"/api/v1/realtime/session?key={key}&protocol=realtime", Basic);

    [Fact]
    public async Task InworldClientGetsItsSessionIdProviderDataMergeAndOnnxVoiceProfile()
    {
        string key = "inworld-" + Guid.NewGuid().ToString("N")[..12];
        await using var client = await ConnectAsync(key);
        var created = await client.WaitForAsync("session.created");
        Assert.Equal(key, (string?)created["session"]!["id"]);

        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                output_modalities = new[] { "audio", "text" },
                temperature = 0.6,
                audio = new { output = new { model = "inworld-tts-2", speed = 1.2 } },
                providerData = new { stt = new { voice_profile = true }, metadata = new { a = "1" } },
            },
        });
        var first = (await client.WaitForAsync("session.updated"))["session"]!;
        Assert.Equal(0.6, (double)first["temperature"]!);
        Assert.Equal("inworld-tts-2", (string?)first["audio"]!["output"]!["model"]);
        Assert.Equal(1.2, (double)first["audio"]!["output"]!["speed"]!);

        // providerData merges key by key on every update and the effective value is echoed.
        await client.SendAsync(new { type = "session.update", session = new { providerData = new { metadata = new { b = "2" } } } });
        var merged = (await client.WaitForAsync("session.updated"))["session"]!["providerData"]!;
        Assert.True((bool)merged["stt"]!["voice_profile"]!);
        Assert.Equal("1", (string?)merged["metadata"]!["a"]);
        Assert.Equal("2", (string?)merged["metadata"]!["b"]);

        // Inworld guides spell assistant content "audio": accepted.
        await client.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "assistant", content = new[] { new { type = "audio", transcript = "Hello there." } } },
        });
        await client.WaitForAsync("conversation.item.added");

        await client.AppendAudioAsync(TestSpeech.Pcm("what time is it"));
        var completed = await client.WaitForAsync("conversation.item.input_audio_transcription.completed", 60);
        string transcript = (string)completed["transcript"]!;
        var emotion = completed["providerData"]!["voiceProfile"]!["emotion"]!.AsArray();
        // The ONNX model's labels replace the heuristic's: flite's slt voice (~180 Hz) is far past the 100 Hz boundary.
        Assert.Equal("excited", (string?)emotion[0]!["label"]);
        Assert.True((double)emotion[0]!["confidence"]! > 0.9, completed.ToJsonString());
        Assert.NotNull(completed["providerData"]!["voiceProfile"]!["speaking_rate"]);

        // Rolling deltas: each carries the whole transcript so far, so the last equals the final transcript.
        string itemId = (string)completed["item_id"]!;
        var deltas = client.All("conversation.item.input_audio_transcription.delta").Where(d => (string?)d["item_id"] == itemId).ToList();
        Assert.NotEmpty(deltas);
        Assert.Equal(transcript, (string?)deltas[^1]["delta"]);

        // output_modalities ["audio","text"]: every word goes out as a transcript delta and as a text delta.
        var done = await client.WaitForAsync("response.done", 60);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
        string responseId = (string)done["response"]!["id"]!;
        string spoken = Join(client, "response.output_audio_transcript.delta", responseId);
        string text = Join(client, "response.output_text.delta", responseId);
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.Equal(spoken, text);
        Assert.Single(client.All("response.output_text.done"), e => (string?)e["response_id"] == responseId);
        Assert.NotEmpty(client.All("response.output_audio.delta"));
    }

    [Fact]
    public async Task TakenKeyIsNotReusedAsSessionId()
    {
        string key = "dup-" + Guid.NewGuid().ToString("N")[..8];
        await using var a = await ConnectAsync(key);
        await using var b = await ConnectAsync(key);
        Assert.Equal(key, (string?)(await a.WaitForAsync("session.created"))["session"]!["id"]);
        Assert.NotEqual(key, (string?)(await b.WaitForAsync("session.created"))["session"]!["id"]);
    }

    [Theory]
    [InlineData("rule", null)]
    [InlineData("llm", "fake/small")]
    public async Task BackchannelPlaysWhileTheUserIsStillTalking(string decider, string? smallModel)
    {
        await using var client = await ConnectAsync("bc-" + Guid.NewGuid().ToString("N")[..8]);
        await client.WaitForAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                audio = new { input = new { turn_detection = new { type = "server_vad", silence_duration_ms = 1500 } } },
                providerData = new
                {
                    backchannel = new
                    {
                        enabled = true,
                        decider_kind = decider,
                        small_model = smallModel,
                        min_speech_ms = 600,
                        min_gap_ms = 1000,
                        max_per_turn = 2,
                        eval_interval_ms = 100,
                        require_pause = true,
                        allowed_phrases = new[] { "mm-hmm", "right" },
                        volume_gain = 0.5,
                    },
                },
            },
        });
        await client.WaitForAsync("session.updated");

        // One long turn with two half-second pauses, streamed in real time as a microphone would.
        byte[] pause = TestSpeech.Silence(0.5);
        byte[] audio = [.. TestSpeech.Pcm("I went to the store yesterday", tailSeconds: 0.2), .. pause,
            .. TestSpeech.Pcm("and then I walked over to the park", leadSeconds: 0, tailSeconds: 0.2), .. pause,
            .. TestSpeech.Pcm("and after that I came home again", leadSeconds: 0, tailSeconds: 2.0)];
        const int chunk = 4800; // 100 ms at 24 kHz
        for (int at = 0; at < audio.Length; at += chunk)
        {
            await client.AppendAudioAsync(audio[at..Math.Min(audio.Length, at + chunk)]);
            await Task.Delay(100);
        }

        await client.WaitForAsync("input_audio_buffer.speech_stopped", 30);
        var events = client.Events.Select(e => (string?)e["type"]).ToList();
        int stopped = events.IndexOf("input_audio_buffer.speech_stopped");
        int firstDone = events.IndexOf("response.backchannel.audio.done");
        Assert.True(firstDone >= 0 && firstDone < stopped, string.Join(", ", events.Distinct()));
        Assert.Equal(1, events.Count(t => t == "input_audio_buffer.speech_started"));

        var done = client.All("response.backchannel.audio.done");
        // The rule rotates through the allowed phrases; the fake small model always says "mm-hmm".
        Assert.All(done, d => Assert.Contains((string?)d["phrase"], decider == "rule" ? new[] { "mm-hmm", "right" } : ["mm-hmm"]));
        Assert.InRange(done.Count, 1, 2);
        string id = (string)done[0]["backchannel_id"]!;
        var pcm = client.All("response.backchannel.audio.delta").Where(d => (string?)d["backchannel_id"] == id)
            .SelectMany(d => Convert.FromBase64String((string)d["delta"]!)).ToArray();
        Assert.True(pcm.Length > 24_000 / 5, $"{pcm.Length} bytes"); // at least 100 ms of speech
        Assert.True(TestSpeech.Rms(pcm) > 100);

        // Outside the response lifecycle: nothing of a response happened before the user stopped.
        Assert.DoesNotContain("response.created", events.Take(stopped));
        Assert.DoesNotContain("output_audio_buffer.cleared", events);
    }

    [Fact]
    public async Task SlowLlmGetsAFillerFromTheSmallModelBeforeTheReply()
    {
        await using var client = await ConnectAsync("filler-" + Guid.NewGuid().ToString("N")[..8]);
        await client.WaitForAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                model = "fake/slow",
                providerData = new
                {
                    responsiveness = new
                    {
                        enabled = true,
                        initial_wait_timeout_ms = 400,
                        enable_filler_on_first_assistant_reply = true,
                        small_model = "fake/small",
                    },
                },
            },
        });
        await client.WaitForAsync("session.updated");
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "What is the answer?" } } } });
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        Assert.Equal("completed", (string?)done["response"]!["status"]);

        var events = client.Events;
        var transcript = events.Where(e => (string?)e["type"] == "response.output_audio_transcript.delta").Select(e => (string)e["delta"]!).ToList();
        Assert.Equal(SlowChatServer.SideAnswer + " ", transcript[0]);
        Assert.Equal(SlowChatServer.SideAnswer + " " + SlowChatServer.MainAnswer, string.Concat(transcript));

        // The filler's audio is on the normal path and comes before the reply's first word.
        int firstMain = events.ToList().FindIndex(e => (string?)e["type"] == "response.output_audio_transcript.delta" && (string?)e["delta"] == "Here");
        int fillerAudio = events.Take(firstMain).Count(e => (string?)e["type"] == "response.output_audio.delta");
        Assert.True(fillerAudio > 0, "no filler audio before the reply");
        Assert.Contains(fixture.Llm.Requests, r => r.Model == "small" && !r.Stream);
    }

    [Fact]
    public async Task WithoutResponsivenessASlowLlmGetsNoFiller()
    {
        await using var client = await ConnectAsync("nofiller-" + Guid.NewGuid().ToString("N")[..8]);
        await client.WaitForAsync("session.created");
        await client.SendAsync(new { type = "session.update", session = new { model = "fake/slow", output_modalities = new[] { "text" } } });
        await client.WaitForAsync("session.updated");
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "What is the answer?" } } } });
        await client.SendAsync(new { type = "response.create" });
        await client.WaitForAsync("response.done", 60);
        Assert.Equal(SlowChatServer.MainAnswer, string.Concat(client.All("response.output_text.delta").Select(e => (string)e["delta"]!)));
    }

    [Theory]
    [InlineData("/v1/realtime/ice-servers")]
    [InlineData("/api/v1/realtime/ice-servers")]
    public async Task IceServersListsTheConfiguredStunServer(string path)
    {
        using var http = new HttpClient { BaseAddress = Server.HttpBase };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", Basic);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var servers = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal("stun:127.0.0.1:3478", (string?)Assert.Single(servers)!["urls"]![0]);

        using var anonymous = await http.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private static string Join(RealtimeTestClient client, string type, string responseId) =>
        string.Concat(client.All(type).Where(e => (string?)e["response_id"] == responseId).Select(e => (string)e["delta"]!));
}

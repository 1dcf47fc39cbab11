using System.Text;
using System.Text.Json.Nodes;
using MediaServer.Pipeline.Tests.Cloud;
using MediaServer.Pipeline.Tests.Llm;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Cloud;

/// <summary>The real server process with its STT and TTS moved to a cloud provider by configuration only.</summary>
public sealed class CloudEnginesFixture : IAsyncLifetime
{
    internal FakeOpenAiAudioServer Audio { get; } = new();

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(
            "--MediaServer:Stt:Engine=openai",
            $"--MediaServer:Stt:Cloud:BaseUrl={Audio.BaseUrl}",
            "--MediaServer:Stt:Cloud:ApiKey=sk-cloud-stt",
            "--MediaServer:Tts:Engine=openai",
            $"--MediaServer:Tts:Cloud:BaseUrl={Audio.BaseUrl}",
            "--MediaServer:Tts:Cloud:ApiKey=sk-cloud-tts",
            "--MediaServer:Tts:Cloud:Model=tts-e2e");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Audio.DisposeAsync();
    }
}

/// <summary>
/// A Realtime session whose user turn is transcribed by an OpenAI-compatible transcription API and whose answer is
/// spoken by an OpenAI-compatible speech API (both local servers speaking those wire formats): the transcript and
/// the audio the client gets are the provider's, sentence by sentence; a provider failure is reported on the
/// protocol's own events and the session goes on.
/// </summary>
public sealed class CloudEnginesEndToEndTests(CloudEnginesFixture fixture) : IClassFixture<CloudEnginesFixture>
{
    private FakeOpenAiAudioServer Audio => fixture.Audio;

    private async Task<RealtimeTestClient> ConnectAsync()
    {
        var client = await RealtimeTestClient.ConnectAsync(fixture.Server);
        await client.WaitForAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                output_modalities = new[] { "audio" },
                audio = new
                {
                    input = new { turn_detection = (object?)null, transcription = new { model = "gpt-4o-transcribe", language = "en" } },
                    output = new { voice = "marin" },
                },
            },
        });
        await client.WaitForAsync("session.updated");
        return client;
    }

    private List<FakeLlmRequest> RequestsTo(string path, int after) => Audio.Requests.Skip(after).Where(r => r.Path == path).ToList();

    [Fact]
    public async Task The_users_turn_is_transcribed_and_the_answer_spoken_by_the_cloud_provider()
    {
        Audio.Scenario = FakeLlmScenario.Text;
        Audio.Transcript = "what time is it";
        int before = Audio.Requests.Count;
        await using var client = await ConnectAsync();
        // The user says one thing and the provider hears another, so what follows can only come from the provider.
        byte[] speech = TestSpeech.Pcm("good morning", leadSeconds: 0.2, tailSeconds: 0.3);

        await client.AppendAudioAsync(speech);
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        var transcribed = await client.WaitForAsync("conversation.item.input_audio_transcription.completed", 30);
        Assert.Equal("what time is it", (string?)transcribed["transcript"]);

        var stt = Assert.Single(RequestsTo("/v1/audio/transcriptions", before));
        Assert.Equal("Bearer sk-cloud-stt", stt.Headers["Authorization"]);
        var form = MultipartForm.Parse(stt.Headers["Content-Type"]!, stt.RawBody);
        Assert.Equal("gpt-4o-transcribe", Encoding.UTF8.GetString(form["model"]));
        Assert.Equal("en", Encoding.UTF8.GetString(form["language"]));
        double sentSeconds = (form["file"].Length - 44) / 2 / 16_000.0;
        double spokenSeconds = speech.Length / 2 / 24_000.0;
        Assert.True(Math.Abs(sentSeconds - spokenSeconds) < 0.1, $"sent {sentSeconds:F2} s of the {spokenSeconds:F2} s committed");

        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
        string id = (string)done["response"]!["id"]!;
        string transcript = (string)client.All("response.output_audio_transcript.done").Single(e => (string?)e["response_id"] == id)["transcript"]!;
        // The offline responder answers the cloud's transcript ("what time is it"), not whatever pocketsphinx heard.
        Assert.Matches(@"^It is \d{1,2}:\d{2}", transcript);

        var tts = RequestsTo("/v1/audio/speech", before);
        Assert.NotEmpty(tts);
        Assert.All(tts, r =>
        {
            Assert.Equal("tts-e2e", (string?)r.Body["model"]);
            Assert.Equal("marin", (string?)r.Body["voice"]);
            Assert.Equal("pcm", (string?)r.Body["response_format"]);
            Assert.Equal("Bearer sk-cloud-tts", r.Headers["Authorization"]);
        });
        Assert.Equal(Normalise(transcript), Normalise(string.Join(" ", tts.Select(r => (string?)r.Body["input"]))));
        var audio = client.All("response.output_audio.delta").Where(e => (string?)e["response_id"] == id)
            .SelectMany(e => Convert.FromBase64String((string)e["delta"]!)).ToArray();
        Assert.True(audio.Length >= tts.Count * Audio.SpeechSamples * 2, $"{audio.Length} bytes of audio for {tts.Count} sentences of {Audio.SpeechSamples} samples");
        Assert.True(TestSpeech.Rms(audio) > 1000, "the provider's tone did not reach the client");
    }

    [Fact]
    public async Task A_session_left_on_the_default_transcription_model_gets_the_configured_cloud_model()
    {
        Audio.Scenario = FakeLlmScenario.Text;
        Audio.Transcript = "defaults";
        int before = Audio.Requests.Count;
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.Server);
        var created = await client.WaitForAsync("session.created");
        Assert.Equal("pocketsphinx", (string?)created["session"]!["audio"]!["input"]!["transcription"]!["model"]);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input = new { turn_detection = (object?)null } } } });
        await client.WaitForAsync("session.updated");

        await client.AppendAudioAsync(TestSpeech.Pcm("hello", leadSeconds: 0.2, tailSeconds: 0.3));
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        Assert.Equal("defaults", (string?)(await client.WaitForAsync("conversation.item.input_audio_transcription.completed", 30))["transcript"]);

        var stt = Assert.Single(RequestsTo("/v1/audio/transcriptions", before));
        var form = MultipartForm.Parse(stt.Headers["Content-Type"]!, stt.RawBody);
        Assert.Equal("gpt-4o-mini-transcribe", Encoding.UTF8.GetString(form["model"]));
    }

    [Fact]
    public async Task A_transcription_provider_error_fails_the_turns_transcription_and_the_session_goes_on()
    {
        await using var client = await ConnectAsync();
        Audio.Scenario = FakeLlmScenario.Unauthorized;
        await client.AppendAudioAsync(TestSpeech.Pcm("hello", leadSeconds: 0.2, tailSeconds: 0.3));
        await client.SendAsync(new { type = "input_audio_buffer.commit" });

        var failed = await client.WaitForAsync("conversation.item.input_audio_transcription.failed", 30);
        string message = (string)failed["error"]!["message"]!;
        Assert.Contains("HTTP 401", message, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided", message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-cloud-stt", message, StringComparison.Ordinal);

        Audio.Scenario = FakeLlmScenario.Text;
        Audio.Transcript = "second try";
        await client.AppendAudioAsync(TestSpeech.Pcm("hello", leadSeconds: 0.2, tailSeconds: 0.3));
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        var completed = await client.WaitForAsync("conversation.item.input_audio_transcription.completed", 30);
        Assert.Equal("second try", (string?)completed["transcript"]);
    }

    [Fact]
    public async Task A_speech_provider_error_fails_the_response_with_an_error_event_and_the_session_goes_on()
    {
        await using var client = await ConnectAsync();
        Audio.Scenario = FakeLlmScenario.RateLimited;
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "hello" } } } });
        await client.SendAsync(new { type = "response.create" });

        var error = (await client.WaitForAnyAsync("error", 30))["error"]!;
        Assert.Contains("HTTP 429", (string?)error["message"] ?? string.Empty, StringComparison.Ordinal);
        var done = await client.WaitForAsync("response.done", 30);
        Assert.Equal("failed", (string?)done["response"]!["status"]);

        Audio.Scenario = FakeLlmScenario.Text;
        await client.SendAsync(new { type = "response.create" });
        var next = await client.WaitForAsync("response.done", 60);
        Assert.Equal("completed", (string?)next["response"]!["status"]);
    }

    private static string Normalise(string text) => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

using MediaServer.Pipeline.Tests.Llm;
using MediaServer.Pipeline.Tts;
using MediaServer.Pipeline.Tts.OpenAi;

namespace MediaServer.Pipeline.Tests.Cloud;

/// <summary>
/// The cloud synthesiser against a local server speaking OpenAI's speech wire format: the request it sends, the
/// PCM it streams back sample for sample (across chunk boundaries that split a sample), cancellation closing the
/// request, and failures.
/// </summary>
public sealed class OpenAiTextToSpeechTests : IAsyncLifetime
{
    private const string Key = "sk-speech-secret-5678";
    private readonly FakeOpenAiAudioServer _fake = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private OpenAiTextToSpeech Engine(bool instructions = true) => new(new OpenAiTextToSpeechOptions
    {
        BaseUrl = _fake.BaseUrl,
        ApiKey = Key,
        Model = "tts-e2e",
        Voice = "sage",
        SendInstructions = instructions,
    });

    [Fact]
    public async Task A_sentence_streams_back_as_24_khz_pcm_sample_for_sample()
    {
        _fake.SpeechSamples = 30_001;
        var chunks = new List<short[]>();
        await foreach (var chunk in Engine().SynthesizeAsync(new SpeechRequest("Hello there.", "echo"), CancellationToken.None))
        {
            chunks.Add(chunk.ToArray());
        }

        Assert.Equal(24_000, Engine().SampleRate);
        Assert.True(chunks.Count > 5, $"{chunks.Count} chunks: the audio was not streamed");
        var all = chunks.SelectMany(c => c).ToArray();
        Assert.Equal(Enumerable.Range(0, 30_001).Select(FakeOpenAiAudioServer.ToneSample), all);

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/v1/audio/speech", request.Path);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.Equal("tts-e2e", (string?)request.Body["model"]);
        Assert.Equal("Hello there.", (string?)request.Body["input"]);
        Assert.Equal("echo", (string?)request.Body["voice"]);
        Assert.Equal("pcm", (string?)request.Body["response_format"]);
        Assert.Null(request.Body["speed"]);
        Assert.Null(request.Body["instructions"]);
    }

    [Fact]
    public async Task A_styled_span_sends_its_delivery_as_instructions_and_its_rate_as_speed()
    {
        var style = new SpeechStyle(RateFactor: 0.8, PitchFactor: 1.2, VolumeFactor: 0.5, Whisper: true);
        await foreach (var _ in Engine().SynthesizeAsync(new SpeechRequest("psst", "", Speed: 1.5, Style: style), CancellationToken.None))
        {
        }

        var body = _fake.Requests.Single().Body;
        Assert.Equal("sage", (string?)body["voice"]); // the configured voice when the session names none
        Assert.Equal(1.2, (double)body["speed"]!, 3); // 1.5 x 0.8
        string instructions = (string?)body["instructions"] ?? string.Empty;
        Assert.Contains("Whisper.", instructions, StringComparison.Ordinal);
        Assert.Contains("very quietly", instructions, StringComparison.Ordinal);
        Assert.Contains("higher", instructions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instructions_can_be_turned_off_for_a_service_that_refuses_them()
    {
        await foreach (var _ in Engine(instructions: false).SynthesizeAsync(
            new SpeechRequest("psst", "alloy", Style: new SpeechStyle(Whisper: true)), CancellationToken.None))
        {
        }

        Assert.Null(_fake.Requests.Single().Body["instructions"]);
    }

    [Fact]
    public async Task Cancelling_after_the_first_audio_closes_the_request()
    {
        _fake.Scenario = FakeLlmScenario.Slow; // 30 s of audio, a chunk every 100 ms
        using var cancel = new CancellationTokenSource();
        int chunks = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Engine().SynthesizeAsync(new SpeechRequest("A very long sentence.", "alloy"), cancel.Token))
            {
                if (++chunks == 2) cancel.Cancel();
            }
        });

        Assert.Equal(2, chunks);
        Assert.True(await _fake.Requests.Single().Ended.WaitAsync(TimeSpan.FromSeconds(30)), "the speech request kept streaming after cancel");
    }

    [Fact]
    public async Task A_provider_that_stops_sending_mid_sentence_fails_it_with_a_timeout()
    {
        _fake.StallAfterFirstChunk = true;
        var engine = new OpenAiTextToSpeech(new OpenAiTextToSpeechOptions { BaseUrl = _fake.BaseUrl, TimeoutSeconds = 0.5 });
        int samples = 0;
        var error = await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var chunk in engine.SynthesizeAsync(new SpeechRequest("Hello.", "alloy"), CancellationToken.None)) samples += chunk.Length;
        });

        Assert.True(samples > 0, "the first chunk should have arrived before the stall");
        Assert.Contains("stopped sending audio for 0.5 s", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FakeLlmScenario.Unauthorized, "HTTP 401", "Incorrect API key provided")]
    [InlineData(FakeLlmScenario.RateLimited, "HTTP 429", "Rate limit reached")]
    internal async Task A_provider_error_names_the_status_and_the_providers_words_and_never_the_key(FakeLlmScenario scenario, string status, string words)
    {
        _fake.Scenario = scenario;
        var error = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var _ in Engine().SynthesizeAsync(new SpeechRequest("Hello.", "alloy"), CancellationToken.None))
            {
            }
        });

        Assert.Contains(status, error.Message, StringComparison.Ordinal);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_registry_speaks_through_the_cloud_engine_by_option_and_keeps_whispers_there()
    {
        var registry = new TextToSpeechRegistry(new TextToSpeechOptions
        {
            Engine = "openai",
            Cloud = new OpenAiTextToSpeechOptions { BaseUrl = _fake.BaseUrl, Voice = "sage" },
        });

        Assert.Equal("openai", registry.Name);
        Assert.Equal(24_000, registry.SampleRate);
        var whisper = new SpeechRequest("psst", "alloy", Style: new SpeechStyle(Whisper: true));
        Assert.Same(registry.Cloud, registry.Select(whisper));
        Assert.Same(registry.Cloud, registry.Get("openai"));
        int samples = 0;
        await foreach (var chunk in registry.SynthesizeAsync(whisper, CancellationToken.None)) samples += chunk.Length;
        Assert.Equal(_fake.SpeechSamples, samples);
        Assert.Null(_fake.Requests.Single().Headers["Authorization"]);
    }

    [Fact]
    public void A_bad_base_url_is_refused_at_construction_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => new OpenAiTextToSpeech(new OpenAiTextToSpeechOptions { BaseUrl = "api.openai.com/v1" }));
        Assert.Contains("MediaServer:Tts:Cloud:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_cloud_engine_chosen_the_registry_has_none()
    {
        var registry = new TextToSpeechRegistry(new TextToSpeechOptions());
        Assert.Null(registry.Cloud);
        Assert.Null(registry.Get("openai"));
    }
}

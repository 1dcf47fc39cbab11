using System.Buffers.Binary;
using System.Text;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Stt.OpenAi;
using MediaServer.Pipeline.Tests.Llm;

namespace MediaServer.Pipeline.Tests.Cloud;

/// <summary>
/// The cloud recogniser against a local server speaking OpenAI's transcription wire format: what it sends (a
/// 16 kHz WAV in a multipart form with model, language and prompt, a bearer key) and how each failure reads.
/// </summary>
public sealed class OpenAiSpeechToTextTests : IAsyncLifetime
{
    private const string Key = "sk-audio-secret-1234";
    private readonly FakeOpenAiAudioServer _fake = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private OpenAiSpeechToText Engine(double timeoutSeconds = 30, double maxSeconds = 600) => new(new OpenAiSpeechToTextOptions
    {
        BaseUrl = _fake.BaseUrl,
        ApiKey = Key,
        Model = "whisper-large-v3",
        TimeoutSeconds = timeoutSeconds,
        MaxUtteranceSeconds = maxSeconds,
    });

    private static short[] Ramp(int count) => Enumerable.Range(0, count).Select(i => (short)((i * 37) % 20000 - 10000)).ToArray();

    [Fact]
    public async Task An_utterance_goes_out_as_a_16_khz_wav_with_the_sessions_model_language_and_prompt()
    {
        var audio = Ramp(12_345);
        using var stream = Engine().StartUtterance(new TranscriptionRequest("gpt-4o-transcribe", "en", "names: Zoë, Kowalski"));
        stream.Write(audio.AsSpan(0, 5000));
        stream.Write(audio.AsSpan(5000, 7000));
        stream.Write(audio.AsSpan(12_000));
        Assert.Equal(string.Empty, stream.Partial);

        Assert.Equal("hello from the cloud", await stream.CompleteAsync(CancellationToken.None));

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/v1/audio/transcriptions", request.Path);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        var form = MultipartForm.Parse(request.Headers["Content-Type"]!, request.RawBody);
        Assert.Equal("gpt-4o-transcribe", Encoding.UTF8.GetString(form["model"]));
        Assert.Equal("en", Encoding.UTF8.GetString(form["language"]));
        Assert.Equal("names: Zoë, Kowalski", Encoding.UTF8.GetString(form["prompt"]));
        Assert.Equal("json", Encoding.UTF8.GetString(form["response_format"]));
        Assert.Equal(audio, ReadWav(form["file"], out int rate));
        Assert.Equal(16_000, rate);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("openai")]
    [InlineData("pocketsphinx")] // a new session's default transcription model
    public async Task A_session_naming_no_model_of_its_own_gets_the_configured_one(string? model)
    {
        using var stream = Engine().StartUtterance(new TranscriptionRequest(model, null, null));
        stream.Write(Ramp(1600));
        await stream.CompleteAsync(CancellationToken.None);

        var form = MultipartForm.Parse(_fake.Requests.Single().Headers["Content-Type"]!, _fake.Requests.Single().RawBody);
        Assert.Equal("whisper-large-v3", Encoding.UTF8.GetString(form["model"]));
        Assert.False(form.ContainsKey("language"));
        Assert.False(form.ContainsKey("prompt"));
    }

    [Fact]
    public async Task An_empty_utterance_sends_nothing()
    {
        using var stream = Engine().StartUtterance(new TranscriptionRequest(null, null, null));
        Assert.Equal(string.Empty, await stream.CompleteAsync(CancellationToken.None));
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task Audio_past_the_longest_utterance_is_dropped()
    {
        using var stream = Engine(maxSeconds: 1).StartUtterance(new TranscriptionRequest(null, null, null));
        var audio = Ramp(40_000);
        stream.Write(audio.AsSpan(0, 10_000));
        stream.Write(audio.AsSpan(10_000));
        await stream.CompleteAsync(CancellationToken.None);

        var form = MultipartForm.Parse(_fake.Requests.Single().Headers["Content-Type"]!, _fake.Requests.Single().RawBody);
        Assert.Equal(audio[..16_000], ReadWav(form["file"], out _));
    }

    [Theory]
    [InlineData(FakeLlmScenario.Unauthorized, "HTTP 401", "Incorrect API key provided")]
    [InlineData(FakeLlmScenario.RateLimited, "HTTP 429", "Rate limit reached")]
    [InlineData(FakeLlmScenario.ServerError, "HTTP 500", "The server had an error")]
    internal async Task A_provider_error_fails_the_turn_with_the_providers_words_and_never_the_key(FakeLlmScenario scenario, string status, string words)
    {
        _fake.Scenario = scenario;
        using var stream = Engine().StartUtterance(new TranscriptionRequest(null, null, null));
        stream.Write(Ramp(1600));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => stream.CompleteAsync(CancellationToken.None));
        Assert.Contains(status, error.Message, StringComparison.Ordinal);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_fails_the_turn_with_a_timeout()
    {
        _fake.Scenario = FakeLlmScenario.Slow;
        using var stream = Engine(timeoutSeconds: 0.5).StartUtterance(new TranscriptionRequest(null, null, null));
        stream.Write(Ramp(1600));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => stream.CompleteAsync(CancellationToken.None));
        Assert.Contains("0.5 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_provider_fails_the_turn_naming_the_host()
    {
        var engine = new OpenAiSpeechToText(new OpenAiSpeechToTextOptions { BaseUrl = "http://127.0.0.1:9/v1" });
        using var stream = engine.StartUtterance(new TranscriptionRequest(null, null, null));
        stream.Write(Ramp(1600));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => stream.CompleteAsync(CancellationToken.None));
        Assert.Contains("127.0.0.1 unreachable", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/v1")]
    [InlineData("not a url")]
    public void A_bad_base_url_is_refused_at_construction_naming_the_setting(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => new OpenAiSpeechToText(new OpenAiSpeechToTextOptions { BaseUrl = url }));
        Assert.Contains("MediaServer:Stt:Cloud:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Reads a PCM WAV: checks the RIFF/WAVE/fmt/data layout and returns the samples.</summary>
    private static short[] ReadWav(byte[] wav, out int rate)
    {
        var s = wav.AsSpan();
        Assert.True(s[..4].SequenceEqual("RIFF"u8) && s.Slice(8, 8).SequenceEqual("WAVEfmt "u8), "not a RIFF WAVE file");
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(s[20..])); // PCM
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(s[22..])); // mono
        rate = BinaryPrimitives.ReadInt32LittleEndian(s[24..]);
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(s[34..]));
        Assert.True(s.Slice(36, 4).SequenceEqual("data"u8));
        int bytes = BinaryPrimitives.ReadInt32LittleEndian(s[40..]);
        Assert.Equal(wav.Length - 44, bytes);
        Assert.Equal(wav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(s[4..]));
        var samples = new short[bytes / 2];
        for (int i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(s[(44 + (2 * i))..]);
        return samples;
    }
}

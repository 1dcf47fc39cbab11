using MediaServer.Pipeline.Tests.Stt;
using MediaServer.Pipeline.Tts;
using MediaServer.Pipeline.Tts.EspeakNg;

namespace MediaServer.Pipeline.Tests.Tts;

[Collection(MediaServer.Pipeline.Tests.Tts.NativeSpeechCollection.Name)]
public sealed class EspeakNgTextToSpeechTests
{
    private readonly EspeakNgTextToSpeech _engine = new();

    [Fact]
    public async Task Speaks_audible_22050Hz_pcm_in_one_chunk_per_sentence()
    {
        var (pcm, chunks) = await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("Hello there. How are you today?", "alloy"));

        Assert.Equal(22_050, _engine.SampleRate);
        Assert.Equal(2, chunks);
        Assert.InRange(pcm.Length / 22_050.0, 1.0, 5.0);
        Assert.True(TestSpeech.Rms(pcm) > 1000, $"RMS {TestSpeech.Rms(pcm):F0} is near silence");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.5)]
    public async Task Duration_scales_with_speed(double speed)
    {
        const string text = "can you tell me the weather in london this afternoon";
        var normal = (await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest(text, "alloy"))).Pcm.Length;
        var scaled = (await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest(text, "alloy", speed))).Pcm.Length;

        Assert.InRange((double)scaled / normal, 0.75 / speed, 1.25 / speed);
    }

    [Fact]
    public async Task Whisper_style_is_unvoiced_and_volume_style_is_quieter()
    {
        const string text = "hello there how are you";
        var neutral = (await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest(text, "alloy"))).Pcm;
        var whisper = (await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest(text, "alloy", Style: new SpeechStyle(Whisper: true)))).Pcm;
        var quiet = (await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest(text, "alloy", Style: new SpeechStyle(VolumeFactor: 0.5)))).Pcm;

        Assert.True(TtsTestHelpers.ZeroCrossingRate(whisper) > 2 * TtsTestHelpers.ZeroCrossingRate(neutral),
            $"whisper zero crossings {TtsTestHelpers.ZeroCrossingRate(whisper):F3} vs voiced {TtsTestHelpers.ZeroCrossingRate(neutral):F3}");
        Assert.InRange(TestSpeech.Rms(quiet) / TestSpeech.Rms(neutral), 0.35, 0.7);
    }

    [Fact]
    public async Task Markup_in_the_text_is_spoken_as_text_not_obeyed()
    {
        // An unescaped "<break time='5s'/>" would add five seconds of silence.
        var (pcm, _) = await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("one <break time=\"5s\"/> two & three", "alloy"));
        Assert.InRange(pcm.Length / 22_050.0, 0.5, 4.5);
        Assert.Contains("&lt;break time=&quot;5s&quot;/&gt;", EspeakNgTextToSpeech.ToSsml("<break time=\"5s\"/>", new SpeechStyle()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alloy", false, "en-us+f3")]
    [InlineData("echo", false, "en-us+m1")]
    [InlineData("verse", false, "en-gb-x-rp+m4")]
    [InlineData("alloy", true, "en-us+whisperf")]
    [InlineData("echo", true, "en-us+whisper")]
    [InlineData("en-gb+m3", false, "en-gb+m3")]
    [InlineData("en-gb+../../etc", false, "en-us")]
    [InlineData("klingon", false, "en-us")]
    [InlineData(null, true, "en-us+whisper")]
    public void Maps_voice_names_deterministically(string? voice, bool whisper, string expected)
    {
        Assert.Equal(expected, _engine.ResolveVoice(voice, whisper));
    }

    [Fact]
    public async Task Cancellation_aborts_promptly()
    {
        var text = string.Join(' ', Enumerable.Range(1, 30).Select(i => $"This is sentence number {i}."));
        using var cts = new CancellationTokenSource();
        var chunks = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in _engine.SynthesizeAsync(new SpeechRequest(text, "alloy"), cts.Token))
            {
                chunks++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, chunks);

        // The global engine state is intact for the next request.
        var (pcm, _) = await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("still working", "alloy"));
        Assert.True(TestSpeech.Rms(pcm) > 1000);
    }

    [Fact]
    public async Task Concurrent_requests_are_serialised_and_each_gets_its_own_audio()
    {
        var a = new SpeechRequest("one two three", "alloy", 0.5);
        var b = new SpeechRequest("one two three", "echo", 1.5);
        var expectedA = (await TtsTestHelpers.CollectAsync(_engine, a)).Pcm;
        var expectedB = (await TtsTestHelpers.CollectAsync(_engine, b)).Pcm;

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => TtsTestHelpers.CollectAsync(_engine, i % 2 == 0 ? a : b)));

        // Interleaved global state (voice, rate, callback buffer) would change length and samples; espeak-ng's
        // filters and pauses carry a little state from one call to the next (the same request measured 13,850 to
        // 14,160 samples in a row), so compare length and level; the two requests differ fourfold in length.
        for (var i = 0; i < results.Length; i++)
        {
            var expected = i % 2 == 0 ? expectedA : expectedB;
            var actual = results[i].Pcm;
            Assert.InRange(actual.Length, expected.Length * 0.96, expected.Length * 1.04);
            Assert.InRange(TestSpeech.Rms(actual) / TestSpeech.Rms(expected), 0.95, 1.05);
        }
    }
}

using MediaServer.Pipeline.Expressive;
using MediaServer.Pipeline.Tests.Stt;
using MediaServer.Pipeline.Tests.Tts;
using MediaServer.Pipeline.Tts;
using Xunit.Abstractions;

namespace MediaServer.Pipeline.Tests.Expressive;

/// <summary>Tagged LLM text through the planner and the real <see cref="TextToSpeechRegistry"/> (flite by default).</summary>
[Collection(NativeSpeechCollection.Name)]
public sealed class ExpressiveSpeechEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_whisper_tag_renders_through_espeak_ng_whisper_with_less_voicing_and_energy()
    {
        var registry = new TextToSpeechRegistry();
        var whispered = Assert.IsType<SpeakSegment>(Assert.Single(PlanAll("[whi", "sper] hello there")));
        Assert.Equal("hello there", whispered.Text);
        Assert.Same(registry.EspeakNg, registry.Select(whispered.ToRequest("alloy")));

        var whisper = await RenderAsync(registry, whispered);
        var neutral = (await TtsTestHelpers.CollectAsync(registry, new SpeechRequest("hello there", "alloy") with { Style = null })).Pcm;
        var espeakNeutral = await RenderEspeakNeutralAsync(registry, "hello there");

        output.WriteLine($"whisper: RMS {TestSpeech.Rms(whisper):F0} ZCR {TtsTestHelpers.ZeroCrossingRate(whisper):F3}; espeak neutral: RMS {TestSpeech.Rms(espeakNeutral):F0} ZCR {TtsTestHelpers.ZeroCrossingRate(espeakNeutral):F3}; flite neutral: RMS {TestSpeech.Rms(neutral):F0} ZCR {TtsTestHelpers.ZeroCrossingRate(neutral):F3}");
        Assert.True(whisper.Length > 16_000 / 4, $"whisper only {whisper.Length} samples");
        Assert.True(TestSpeech.Rms(whisper) > 300, $"whisper RMS {TestSpeech.Rms(whisper):F0}");
        Assert.True(TestSpeech.Rms(whisper) < TestSpeech.Rms(espeakNeutral), $"RMS whisper {TestSpeech.Rms(whisper):F0}, espeak neutral {TestSpeech.Rms(espeakNeutral):F0}");
        Assert.True(TtsTestHelpers.ZeroCrossingRate(whisper) > TtsTestHelpers.ZeroCrossingRate(espeakNeutral) * 1.5,
            $"ZCR whisper {TtsTestHelpers.ZeroCrossingRate(whisper):F3}, espeak neutral {TtsTestHelpers.ZeroCrossingRate(espeakNeutral):F3}");
        Assert.True(TtsTestHelpers.ZeroCrossingRate(whisper) > TtsTestHelpers.ZeroCrossingRate(neutral),
            $"ZCR whisper {TtsTestHelpers.ZeroCrossingRate(whisper):F3}, flite neutral {TtsTestHelpers.ZeroCrossingRate(neutral):F3}");
    }

    [Fact]
    public async Task A_speak_quickly_tag_renders_shorter_audio_than_neutral()
    {
        var registry = new TextToSpeechRegistry();
        const string Text = "the quick brown fox jumps over the lazy dog";
        var quick = Assert.IsType<SpeakSegment>(Assert.Single(PlanAll("[speak qu", "ickly] ", Text)));
        var plain = Assert.IsType<SpeakSegment>(Assert.Single(PlanAll(Text)));
        Assert.Equal(plain.Text, quick.Text);

        var fast = await RenderAsync(registry, quick);
        var normal = await RenderAsync(registry, plain);
        output.WriteLine($"quick {fast.Length} samples, neutral {normal.Length}");
        Assert.True(fast.Length < normal.Length * 0.85, $"quick {fast.Length} samples, neutral {normal.Length}");
        Assert.True(TestSpeech.Rms(fast) > 500);
    }

    [Fact]
    public async Task A_whole_tagged_reply_renders_words_and_sounds_in_order_at_one_rate()
    {
        var registry = new TextToSpeechRegistry();
        var segments = PlanAll("Okay. [laugh] ", "That is funny.");
        Assert.IsType<NonVerbalSegment>(segments[1]);
        var parts = new List<short[]>();
        foreach (var segment in segments) parts.Add(await RenderAsync(registry, segment));
        Assert.Equal(NonVerbalSounds.Render(NonVerbalKind.Laugh, registry.SampleRate), parts[1]);
        Assert.All(parts, p => Assert.True(TestSpeech.Rms(p) > 500));
    }

    private static List<ExpressiveSegment> PlanAll(params string[] pieces)
    {
        var planner = new ExpressiveSpeechPlanner();
        var segments = pieces.SelectMany(p => planner.Append(p).Segments).ToList();
        segments.AddRange(planner.Complete().Segments);
        return segments;
    }

    private static async Task<short[]> RenderAsync(ITextToSpeech tts, ExpressiveSegment segment)
    {
        var all = new List<short>();
        await foreach (var chunk in ExpressiveSpeechRenderer.RenderAsync(tts, segment, "alloy", 1.0, CancellationToken.None)) all.AddRange(chunk.Span);
        return all.ToArray();
    }

    /// <summary>espeak-ng's neutral voice at the registry's rate: the fair baseline for its whisper variant.</summary>
    private static async Task<short[]> RenderEspeakNeutralAsync(TextToSpeechRegistry registry, string text)
    {
        var espeakRegistry = new TextToSpeechRegistry(new TextToSpeechOptions { Engine = "espeak-ng" });
        var (pcm, _) = await TtsTestHelpers.CollectAsync(espeakRegistry, new SpeechRequest(text, "alloy"));
        var resampler = MediaServer.Pipeline.Audio.Resampler.Create(espeakRegistry.SampleRate, registry.SampleRate);
        var output = new short[resampler.MaxOutputSamples(pcm.Length)];
        return output.AsSpan(0, resampler.Process(pcm, output)).ToArray();
    }
}

using MediaServer.Pipeline.Expressive;
using MediaServer.Pipeline.Tests.Stt;
using MediaServer.Pipeline.Tests.Tts;

namespace MediaServer.Pipeline.Tests.Expressive;

public sealed class NonVerbalSoundsTests
{
    public static TheoryData<NonVerbalKind, int> KindsAndRates()
    {
        var data = new TheoryData<NonVerbalKind, int>();
        foreach (var kind in Enum.GetValues<NonVerbalKind>())
        {
            data.Add(kind, 16_000);
            data.Add(kind, 24_000);
            data.Add(kind, 8_000);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndRates))]
    public void Each_sound_is_audible_short_and_of_its_documented_length(NonVerbalKind kind, int rate)
    {
        var pcm = NonVerbalSounds.Render(kind, rate);
        var duration = NonVerbalSounds.Duration(kind);
        Assert.InRange(duration.TotalMilliseconds, 200, 900);
        Assert.Equal((int)Math.Round(duration.TotalSeconds * rate), pcm.Length);
        Assert.True(TestSpeech.Rms(pcm) > 800, $"{kind} at {rate} Hz: RMS {TestSpeech.Rms(pcm):F0}");
        Assert.InRange(pcm.Max(s => Math.Abs((int)s)), 5_000, 20_000);
        // Starts and ends quietly (no click at the joins with speech).
        Assert.True(Math.Abs((int)pcm[0]) < 1_000 && Math.Abs((int)pcm[^1]) < 1_000, $"{kind}: {pcm[0]} .. {pcm[^1]}");
    }

    [Fact]
    public void Rendering_is_deterministic_and_kinds_differ()
    {
        foreach (var kind in Enum.GetValues<NonVerbalKind>()) Assert.Equal(NonVerbalSounds.Render(kind, 16_000), NonVerbalSounds.Render(kind, 16_000));
        Assert.NotEqual(NonVerbalSounds.Render(NonVerbalKind.Sigh, 16_000).Length, NonVerbalSounds.Render(NonVerbalKind.Laugh, 16_000).Length);
    }

    [Fact]
    public void A_hum_is_voiced_and_a_breath_is_noise()
    {
        var hum = TtsTestHelpers.ZeroCrossingRate(NonVerbalSounds.Render(NonVerbalKind.Hmm, 16_000));
        var breath = TtsTestHelpers.ZeroCrossingRate(NonVerbalSounds.Render(NonVerbalKind.Breathe, 16_000));
        Assert.True(hum < 0.08, $"hum ZCR {hum:F3}");
        Assert.True(breath > 2 * hum, $"breath ZCR {breath:F3}, hum {hum:F3}");
    }

    [Fact]
    public void A_laugh_has_separate_bursts()
    {
        const int Rate = 16_000;
        var pcm = NonVerbalSounds.Render(NonVerbalKind.Laugh, Rate);
        var frame = Rate / 100;
        var loud = Enumerable.Range(0, pcm.Length / frame).Select(i => TestSpeech.Rms(pcm.AsSpan(i * frame, frame)) > 1_000).ToArray();
        var bursts = loud.Where((on, i) => on && (i == 0 || !loud[i - 1])).Count();
        Assert.Equal(4, bursts);
    }

    [Fact]
    public void Volume_scales_and_bad_rates_are_refused()
    {
        var normal = TestSpeech.Rms(NonVerbalSounds.Render(NonVerbalKind.Sigh, 16_000));
        var half = TestSpeech.Rms(NonVerbalSounds.Render(NonVerbalKind.Sigh, 16_000, 0.5));
        Assert.InRange(half / normal, 0.45, 0.55);
        Assert.Throws<ArgumentOutOfRangeException>(() => NonVerbalSounds.Render(NonVerbalKind.Sigh, 4_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => NonVerbalSounds.Duration((NonVerbalKind)99));
    }
}

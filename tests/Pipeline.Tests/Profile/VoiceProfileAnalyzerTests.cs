using MediaServer.Pipeline.Profile;

namespace MediaServer.Pipeline.Tests.Profile;

/// <summary>Analyzer mechanics with synthetic signals: YIN accuracy, silence, framing, allocation, lifecycle.</summary>
public class VoiceProfileAnalyzerTests
{
    [Theory]
    [InlineData(90)]
    [InlineData(150)]
    [InlineData(240)]
    [InlineData(380)]
    public void YinFindsTheFundamentalOfAHarmonicTone(double f0)
    {
        var pcm = Harmonic(f0, seconds: 1.5, amplitude: 6000);
        var profile = Feed(pcm, new VoiceProfileBaseline(), 320);
        Assert.InRange(profile.Features.MedianF0Hz, f0 * 0.98, f0 * 1.02);
        Assert.True(profile.Features.VoicedRatio > 0.9);
    }

    [Fact]
    public void SilenceAndTooShortTurnsAreUnknown()
    {
        var silence = Feed(new short[16_000], new VoiceProfileBaseline(), 320, "hello");
        Assert.Equal(VoiceProfile.Unknown, VoiceProfile.Top(silence.Emotion));
        Assert.Equal(0, silence.Emotion[0].Confidence);
        Assert.Equal(VoiceProfile.Unknown, VoiceProfile.Top(silence.Pitch));

        var blip = Feed(Harmonic(150, 0.1, 6000), new VoiceProfileBaseline(), 320);
        Assert.Equal(VoiceProfile.Unknown, VoiceProfile.Top(blip.SpeakingRate));
    }

    [Fact]
    public void OddChunkSizesGiveTheSameFeaturesAsFrames()
    {
        var pcm = ProfileSpeech.Espeak();
        var framed = Feed(pcm, new VoiceProfileBaseline(), 320);
        var odd = Feed(pcm, new VoiceProfileBaseline(), 97);
        Assert.Equal(framed.Features, odd.Features);
    }

    [Fact]
    public void WriteDoesNotAllocate()
    {
        var pcm = ProfileSpeech.Espeak();
        using var analyzer = new AcousticVoiceProfiler().Start(new VoiceProfileBaseline());
        analyzer.Write(pcm.AsSpan(0, 640)); // warm up (JIT)
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 640; i + 320 <= pcm.Length; i += 320) analyzer.Write(pcm.AsSpan(i, 320));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void SnapshotLeavesBaselineAloneAndCompleteIsIdempotent()
    {
        var baseline = new VoiceProfileBaseline();
        var pcm = Harmonic(200, 1.0, 6000);
        using var analyzer = new AcousticVoiceProfiler().Start(baseline);
        analyzer.Write(pcm.AsSpan(0, 8000));
        var partial = analyzer.Snapshot("hello");
        Assert.InRange(partial.Features.MedianF0Hz, 196, 204);
        Assert.Equal(0, baseline.Utterances);

        analyzer.Write(pcm.AsSpan(8000));
        var done = analyzer.Complete("hello there");
        Assert.Equal(1, baseline.Utterances);
        Assert.InRange(baseline.F0Hz!.Value, 196, 204);
        Assert.True(done.Features.SpeechSeconds > partial.Features.SpeechSeconds);

        analyzer.Write(pcm); // ignored
        Assert.Same(done, analyzer.Complete("again"));
        Assert.Equal(1, baseline.Utterances);
    }

    [Fact]
    public void BaselineIsALogMeanThatThenMovesSlowly()
    {
        var baseline = new VoiceProfileBaseline();
        Assert.Null(baseline.F0Hz);
        baseline.Add(100);
        baseline.Add(400);
        Assert.InRange(baseline.F0Hz!.Value, 199.9, 200.1); // geometric mean
        baseline.Add(0); // unvoiced turn: ignored
        Assert.Equal(2, baseline.Utterances);
        for (var i = 0; i < 20; i++) baseline.Add(200);
        baseline.Add(800);
        // One outlier after many turns moves it by 1/8 of the 24-semitone gap: 3 semitones.
        Assert.InRange(baseline.F0Hz!.Value, 200 * Math.Pow(2, 2.9 / 12), 200 * Math.Pow(2, 3.1 / 12));
    }

    internal static short[] Harmonic(double f0, double seconds, double amplitude)
    {
        var n = (int)(seconds * 16_000);
        var pcm = new short[n];
        for (var i = 0; i < n; i++)
        {
            var t = i / 16_000.0;
            double s = 0;
            for (var h = 1; h <= 5; h++) s += Math.Sin(2 * Math.PI * f0 * h * t) / h;
            pcm[i] = (short)(amplitude * s);
        }

        return pcm;
    }

    private static VoiceProfile Feed(short[] pcm, VoiceProfileBaseline baseline, int chunk, string transcript = "")
    {
        using var analyzer = new AcousticVoiceProfiler().Start(baseline);
        for (var i = 0; i < pcm.Length; i += chunk) analyzer.Write(pcm.AsSpan(i, Math.Min(chunk, pcm.Length - i)));
        return analyzer.Complete(transcript);
    }
}

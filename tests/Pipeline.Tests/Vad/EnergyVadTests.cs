using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Tests.Audio;
using MediaServer.Pipeline.Vad;

namespace MediaServer.Pipeline.Tests.Vad;

public sealed class EnergyVadTests
{
    /// <summary>Uniform white noise with the given RMS level.</summary>
    internal static short[] NoiseAt(double dbfs, int ms, int seed) =>
        ToneAnalysis.Noise(ms * 16, Math.Pow(10, dbfs / 20) * Math.Sqrt(3), seed);

    /// <summary>A voiced-speech-like signal: 150 Hz fundamental with harmonics, at the given RMS level.</summary>
    internal static short[] VoiceAt(double dbfs, int ms)
    {
        int n = ms * 16;
        var buffer = new double[n];
        for (int h = 1; h <= 10; h++)
        {
            for (int i = 0; i < n; i++)
            {
                buffer[i] += Math.Sin(2 * Math.PI * 150 * h * i / 16000.0) / h;
            }
        }

        double rms = Math.Sqrt(buffer.Sum(x => x * x) / n);
        double scale = Math.Pow(10, dbfs / 20) * 32768 / rms;
        return buffer.Select(x => (short)Math.Round(x * scale)).ToArray();
    }

    private static float[] Score(IVoiceActivityDetector vad, short[] audio)
    {
        var scores = new float[audio.Length / 320];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = vad.Process(audio.AsSpan(i * 320, 320));
        }

        return scores;
    }

    [Fact]
    public void Digital_silence_is_never_speech()
    {
        using var vad = new EnergyVad();
        Assert.All(Score(vad, new short[16000]), p => Assert.Equal(0f, p));
        Assert.Equal(-90, vad.NoiseFloorDbfs);
    }

    [Fact]
    public void Steady_low_noise_scores_low_and_becomes_the_floor()
    {
        using var vad = new EnergyVad();
        float[] scores = Score(vad, NoiseAt(-62, 3000, 1));
        Assert.All(scores, p => Assert.True(p < 0.1f, $"p = {p}"));
        Assert.InRange(vad.NoiseFloorDbfs, -63.5, -61.5);
    }

    [Fact]
    public void Voice_over_noise_scores_high_from_its_first_frame_and_keeps_scoring_high()
    {
        using var vad = new EnergyVad();
        Score(vad, NoiseAt(-60, 2000, 2));
        float[] scores = Score(vad, TestAudio.Mix(VoiceAt(-30, 1400), NoiseAt(-60, 1400, 3)));
        Assert.All(scores, p => Assert.True(p > 0.95f, $"p = {p}"));
    }

    [Fact]
    public void A_new_20dB_louder_noise_is_learnt_within_three_seconds()
    {
        using var vad = new EnergyVad();
        Score(vad, NoiseAt(-65, 2000, 4));
        float[] scores = Score(vad, NoiseAt(-45, 4000, 5));
        Assert.True(scores[0] > 0.9f, "the step itself looks like an onset");
        Assert.All(scores[150..], p => Assert.True(p < 0.1f, $"p = {p}"));
        Assert.InRange(vad.NoiseFloorDbfs, -46.5, -44.5);
    }

    [Fact]
    public void A_stream_that_opens_on_noise_learns_it_quickly()
    {
        using var vad = new EnergyVad();
        float[] scores = Score(vad, NoiseAt(-48, 3000, 6));
        Assert.All(scores[100..], p => Assert.True(p < 0.1f, $"p = {p}"));
    }

    [Fact]
    public void Sound_below_the_absolute_minimum_is_not_speech_even_over_digital_silence()
    {
        using var vad = new EnergyVad();
        Score(vad, new short[16000]);
        float[] scores = Score(vad, VoiceAt(-58, 500));
        Assert.All(scores, p => Assert.Equal(0f, p));
        Assert.True(vad.IsBelowFloor(3));

        float[] louder = Score(vad, VoiceAt(-50, 200));
        Assert.All(louder, p => Assert.True(p > 0.99f));
        Assert.False(vad.IsBelowFloor(3));
    }

    [Fact]
    public void Reset_forgets_the_floor()
    {
        using var vad = new EnergyVad();
        Score(vad, NoiseAt(-40, 3000, 7));
        Assert.True(vad.NoiseFloorDbfs > -42);
        vad.Reset();
        Assert.Equal(new EnergyVadOptions().InitialNoiseFloorDbfs, vad.NoiseFloorDbfs);
        Assert.True(vad.Process(VoiceAt(-40, 20)) > 0.9f);
    }

    [Fact]
    public void Real_speech_alternates_between_high_and_low_scores()
    {
        using var vad = new EnergyVad();
        float[] scores = Score(vad, TestAudio.Jfk16k());
        double speechShare = scores.Count(p => p >= 0.5f) / (double)scores.Length;

        // jfk.wav is about 11 s with pauses between phrases; a detector saying "all speech" or "no speech" fails.
        Assert.InRange(speechShare, 0.4, 0.9);
    }

    [Fact]
    public void Process_allocates_nothing()
    {
        using var vad = new EnergyVad();
        short[] frame = VoiceAt(-30, 20);
        vad.Process(frame);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++)
        {
            vad.Process(frame);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnergyVad(new EnergyVadOptions { SnrSlopeDb = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnergyVad(new EnergyVadOptions { NoiseWindowMs = 10 }));
    }

    [Fact]
    public void Levels_are_reported_in_dbfs()
    {
        using var vad = new EnergyVad();
        vad.Process(VoiceAt(-30, 20));
        Assert.InRange(vad.LevelDbfs, -30.5, -29.5);
        Assert.InRange(Pcm16.Dbfs(NoiseAt(-50, 1000, 9)), -50.3, -49.7);
    }
}

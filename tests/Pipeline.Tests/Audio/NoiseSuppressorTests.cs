using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Tests.Vad;
using Xunit.Abstractions;

namespace MediaServer.Pipeline.Tests.Audio;

public sealed class NoiseSuppressorTests(ITestOutputHelper output)
{
    private static short[] Run(NoiseSuppressor suppressor, short[] input)
    {
        var result = new short[input.Length];
        for (int i = 0; i + 320 <= input.Length; i += 320)
        {
            suppressor.Process(input.AsSpan(i, 320), result.AsSpan(i, 320));
        }

        return result;
    }

    private static double EnergyDb(ReadOnlySpan<short> a, ReadOnlySpan<short> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        return 10 * Math.Log10((sum / a.Length) + 1e-9);
    }

    [Fact]
    public void Fft_round_trips_and_finds_a_tone_in_its_bin()
    {
        var plan = new FftPlan(1024);
        var re = new float[1024];
        var im = new float[1024];
        for (int i = 0; i < 1024; i++)
        {
            re[i] = MathF.Cos(2 * MathF.PI * 37 * i / 1024);
        }

        float[] original = (float[])re.Clone();
        plan.Forward(re, im);
        Assert.InRange(re[37], 511.9f, 512.1f);
        Assert.InRange(re[1024 - 37], 511.9f, 512.1f);
        Assert.InRange(MathF.Abs(re[36]) + MathF.Abs(im[36]), 0f, 0.01f);
        plan.Inverse(re, im);
        for (int i = 0; i < 1024; i++)
        {
            Assert.InRange(re[i], original[i] - 1e-4f, original[i] + 1e-4f);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new FftPlan(1000));
    }

    [Fact]
    public void Clean_speech_passes_one_frame_late_and_nearly_untouched()
    {
        short[] speech = TestAudio.Concat(new short[8000], TestAudio.Flite("Good morning, how can I help you"), new short[8000]);
        short[] cleaned = Run(new NoiseSuppressor(NoiseSuppressionProfile.NearField), speech);

        ReadOnlySpan<short> expected = speech.AsSpan(0, speech.Length - 320);
        ReadOnlySpan<short> actual = cleaned.AsSpan(320);
        double errorDb = EnergyDb(actual, expected) - EnergyDb(expected, new short[expected.Length]);
        output.WriteLine($"distortion {errorDb:F1} dB relative to the speech");
        Assert.True(errorDb < -40, $"distortion {errorDb:F1} dB");
    }

    [Theory]
    [InlineData("near_field", 9)]
    [InlineData("far_field", 13)]
    public void Steady_noise_is_attenuated_by_the_profile(string type, double minimumDb)
    {
        Assert.True(NoiseSuppressionProfile.TryParse(type, out var profile));
        short[] noise = EnergyVadTests.NoiseAt(-40, 5000, 41);
        short[] cleaned = Run(new NoiseSuppressor(profile), noise);

        double before = Pcm16.Dbfs(noise.AsSpan(32000));
        double after = Pcm16.Dbfs(cleaned.AsSpan(32000));
        output.WriteLine($"{type}: {before:F1} -> {after:F1} dBFS");
        Assert.InRange(before - after, minimumDb, profile.MaxAttenuationDb + 1);
    }

    [Fact]
    public void Speech_in_noise_comes_out_closer_to_the_clean_speech()
    {
        short[] clean = TestAudio.Concat(new short[32000], TestAudio.Flite("Please transfer me to the billing department"), new short[8000]);
        short[] noise = EnergyVadTests.NoiseAt(-32, clean.Length / 16, 42);
        short[] noisy = TestAudio.Mix(clean, noise);
        short[] cleaned = Run(new NoiseSuppressor(NoiseSuppressionProfile.FarField), noisy);

        // Compare from 2 s on (the noise is learnt by then), the output shifted back by its one-frame delay.
        int from = 32000;
        int length = clean.Length - from - 320;
        double inputErrorDb = EnergyDb(noisy.AsSpan(from, length), clean.AsSpan(from, length));
        double outputErrorDb = EnergyDb(cleaned.AsSpan(from + 320, length), clean.AsSpan(from, length));
        output.WriteLine($"error energy {inputErrorDb:F1} dB in, {outputErrorDb:F1} dB out");
        Assert.True(inputErrorDb - outputErrorDb > 5, $"improvement {inputErrorDb - outputErrorDb:F1} dB");
    }

    [Fact]
    public void Reset_restarts_the_stream_and_process_allocates_nothing()
    {
        short[] input = EnergyVadTests.NoiseAt(-40, 1000, 43);
        var suppressor = new NoiseSuppressor(NoiseSuppressionProfile.NearField);
        short[] first = Run(suppressor, input);
        suppressor.Reset();

        var result = new short[input.Length];
        suppressor.Process(input.AsSpan(0, 320), result);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 320; i + 320 <= input.Length; i += 320)
        {
            suppressor.Process(input.AsSpan(i, 320), result.AsSpan(i, 320));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(first, result);
        Assert.Throws<ArgumentException>(() => suppressor.Process(new short[160], new short[320]));
        Assert.False(NoiseSuppressionProfile.TryParse("studio", out _));
    }
}

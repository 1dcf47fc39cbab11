using MediaServer.Pipeline.Audio;
using Xunit.Abstractions;

namespace MediaServer.Pipeline.Tests.Audio;

public sealed class ResamplerTests(ITestOutputHelper output)
{
    private static readonly int[] Rates = [8000, 16000, 22050, 24000, 44100, 48000];

    public static TheoryData<int, int> AllPairs()
    {
        var data = new TheoryData<int, int>();
        foreach (int a in Rates)
        {
            foreach (int b in Rates)
            {
                if (a != b)
                {
                    data.Add(a, b);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Sine_survives_48k_to_16k_and_back_with_its_amplitude_and_frequency()
    {
        const double frequency = 1000;
        const double amplitude = 0.5;
        short[] input = ToneAnalysis.Sine(48000, frequency, amplitude, 48000);

        short[] down = ToneAnalysis.ResampleInFrames(Resampler.Create(48000, 16000), input);
        short[] up = ToneAnalysis.ResampleInFrames(Resampler.Create(16000, 48000), down);

        Assert.Equal(16000, down.Length);
        Assert.Equal(48000, up.Length);

        // Skip the filters' start-up (a few ms); measure half a second: 500 whole cycles.
        var (downAmplitude, downResidual) = ToneAnalysis.Fit(down.AsSpan(4000, 8000), 16000, frequency);
        var (upAmplitude, upResidual) = ToneAnalysis.Fit(up.AsSpan(12000, 24000), 48000, frequency);
        output.WriteLine($"16k: gain {ToneAnalysis.ToDb(downAmplitude / amplitude):F4} dB, residual {downResidual:F1} dB");
        output.WriteLine($"48k: gain {ToneAnalysis.ToDb(upAmplitude / amplitude):F4} dB, residual {upResidual:F1} dB");

        Assert.InRange(ToneAnalysis.ToDb(downAmplitude / amplitude), -0.01, 0.01);
        Assert.InRange(ToneAnalysis.ToDb(upAmplitude / amplitude), -0.02, 0.02);

        // Anything not at exactly 1 kHz (a frequency error, distortion, imaging) shows up in the residual;
        // 16-bit quantisation of a -6 dBFS tone alone sits near -92 dB.
        Assert.True(downResidual < -80, $"residual {downResidual:F1} dB");
        Assert.True(upResidual < -75, $"residual {upResidual:F1} dB");
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Passband_tone_keeps_level_and_purity_for_every_rate_pair(int inputRate, int outputRate)
    {
        // 1 kHz sits in every passband, and half a second holds whole cycles at every rate.
        short[] input = ToneAnalysis.Sine(inputRate, 1000, 0.5, inputRate);
        short[] result = ToneAnalysis.ResampleInFrames(Resampler.Create(inputRate, outputRate), input);
        Assert.Equal(outputRate, result.Length);

        var (amplitude, residual) = ToneAnalysis.Fit(result.AsSpan(outputRate / 4, outputRate / 2), outputRate, 1000);
        output.WriteLine($"{inputRate}->{outputRate}: gain {ToneAnalysis.ToDb(amplitude / 0.5):F4} dB, residual {residual:F1} dB");
        Assert.InRange(ToneAnalysis.ToDb(amplitude / 0.5), -0.01, 0.01);
        Assert.True(residual < -80, $"residual {residual:F1} dB");
    }

    [Theory]
    [InlineData(48000, 16000, 9000, 7000)]
    [InlineData(48000, 16000, 12000, 4000)]
    [InlineData(48000, 16000, 15000, 1000)]
    [InlineData(48000, 16000, 20000, 4000)]
    [InlineData(24000, 16000, 9000, 7000)]
    [InlineData(24000, 16000, 11000, 5000)]
    [InlineData(48000, 8000, 5000, 3000)]
    [InlineData(16000, 8000, 6000, 2000)]
    [InlineData(22050, 16000, 9000, 7000)]
    public void Tones_above_the_output_Nyquist_do_not_alias(int inputRate, int outputRate, int tone, int alias)
    {
        short[] input = ToneAnalysis.Sine(inputRate, tone, 0.9, inputRate);
        short[] result = ToneAnalysis.ResampleInFrames(Resampler.Create(inputRate, outputRate), input);

        double aliasAmplitude = ToneAnalysis.Goertzel(result.AsSpan(outputRate / 4, outputRate / 2), outputRate, alias);
        double rejection = ToneAnalysis.ToDb(0.9 / aliasAmplitude);
        output.WriteLine($"{inputRate}->{outputRate}: {tone} Hz folded to {alias} Hz, rejected by {rejection:F1} dB");

        // Design is 80 dB from the output Nyquist up; the 16-bit output floor limits what can be measured.
        Assert.True(rejection > 75, $"rejection {rejection:F1} dB");
    }

    [Theory]
    [InlineData(16000, 48000, 1000)]
    [InlineData(8000, 48000, 1000)]
    [InlineData(16000, 24000, 5000)]
    [InlineData(16000, 22050, 6000)]
    [InlineData(8000, 16000, 3000)]
    public void Upsampling_leaves_no_images(int inputRate, int outputRate, int tone)
    {
        short[] input = ToneAnalysis.Sine(inputRate, tone, 0.9, inputRate);
        short[] result = ToneAnalysis.ResampleInFrames(Resampler.Create(inputRate, outputRate), input);
        ReadOnlySpan<short> window = result.AsSpan(outputRate / 4, outputRate / 2);

        double worst = double.MaxValue;
        int checkedImages = 0;
        for (int k = 1; k * inputRate - tone < outputRate / 2; k++)
        {
            foreach (int f in new[] { (k * inputRate) - tone, (k * inputRate) + tone })
            {
                if (f < outputRate / 2)
                {
                    checkedImages++;
                    worst = Math.Min(worst, ToneAnalysis.ToDb(0.9 / ToneAnalysis.Goertzel(window, outputRate, f)));
                }
            }
        }

        Assert.True(checkedImages > 0);
        output.WriteLine($"{inputRate}->{outputRate}: weakest image rejection {worst:F1} dB");
        Assert.True(worst > 75, $"image rejection {worst:F1} dB");
    }

    [Theory]
    [InlineData(6000, -0.01, 0.01)]
    [InlineData(7000, -1.0, 0.0)]
    [InlineData(7400, -7.5, -4.5)]
    [InlineData(7900, -200, -40)]
    public void Transition_band_of_48k_to_16k_is_where_the_design_puts_it(int tone, double minDb, double maxDb)
    {
        // The passband ends at 6.8 kHz, the -6 dB point is 7.4 kHz, the stopband starts at the 8 kHz output Nyquist.
        // A 7 kHz tone lies below Nyquist: it is kept, not aliased. This pins the response so a design change is noticed.
        short[] input = ToneAnalysis.Sine(48000, tone, 0.5, 48000);
        short[] result = ToneAnalysis.ResampleInFrames(Resampler.Create(48000, 16000), input);
        double gain = ToneAnalysis.ToDb(ToneAnalysis.Goertzel(result.AsSpan(4000, 8000), 16000, tone) / 0.5);
        output.WriteLine($"{tone} Hz through 48k->16k: {gain:F2} dB");
        Assert.InRange(gain, minDb, maxDb);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Frames_of_any_size_give_the_same_output_as_one_block(int inputRate, int outputRate)
    {
        short[] input = ToneAnalysis.Noise(inputRate / 2 + 12345, 0.5, seed: inputRate ^ outputRate);

        IResampler oneBlock = Resampler.Create(inputRate, outputRate);
        var expected = new short[oneBlock.MaxOutputSamples(input.Length)];
        int expectedCount = oneBlock.Process(input, expected);

        short[] framed = ToneAnalysis.ResampleInFrames(Resampler.Create(inputRate, outputRate), input);
        Assert.Equal(expected.AsSpan(0, expectedCount).ToArray(), framed);

        // Irregular slices, including single samples and slices longer than the internal chunk.
        IResampler irregular = Resampler.Create(inputRate, outputRate);
        var random = new Random(7);
        var collected = new List<short>();
        int offset = 0;
        while (offset < input.Length)
        {
            int n = Math.Min(input.Length - offset, random.Next(4) switch { 0 => 1, 1 => random.Next(2, 50), 2 => random.Next(50, 1000), _ => 5000 });
            var scratch = new short[irregular.MaxOutputSamples(n)];
            int written = irregular.Process(input.AsSpan(offset, n), scratch);
            collected.AddRange(scratch.AsSpan(0, written));
            offset += n;
        }

        Assert.Equal(expected.AsSpan(0, expectedCount).ToArray(), collected.ToArray());
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_20ms_frame_yields_exactly_one_20ms_frame(int inputRate, int outputRate)
    {
        IResampler resampler = Resampler.Create(inputRate, outputRate);
        short[] frame = ToneAnalysis.Noise(AudioConstants.SamplesPerFrame(inputRate), 0.3, 1);
        var scratch = new short[resampler.MaxOutputSamples(frame.Length)];
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(AudioConstants.SamplesPerFrame(outputRate), resampler.Process(frame, scratch));
        }
    }

    [Theory]
    [InlineData(48000, 16000)]
    [InlineData(16000, 48000)]
    [InlineData(24000, 16000)]
    [InlineData(22050, 24000)]
    [InlineData(8000, 16000)]
    public void Reported_delay_matches_where_an_impulse_comes_out(int inputRate, int outputRate)
    {
        IResampler resampler = Resampler.Create(inputRate, outputRate);
        var input = new short[inputRate / 10];
        int impulseAt = inputRate / 100; // 10 ms
        input[impulseAt] = 30000;
        short[] result = ToneAnalysis.ResampleInFrames(resampler, input);

        int peak = 0;
        for (int i = 1; i < result.Length; i++)
        {
            if (result[i] > result[peak])
            {
                peak = i;
            }
        }

        double measuredMs = (peak * 1000.0 / outputRate) - 10.0;
        output.WriteLine($"{inputRate}->{outputRate}: reported {resampler.DelayMilliseconds:F3} ms, impulse peak at +{measuredMs:F3} ms");
        Assert.InRange(measuredMs, resampler.DelayMilliseconds - (1000.0 / outputRate), resampler.DelayMilliseconds + (1000.0 / outputRate));

        // The design keeps the converter's share of the mouth-to-ear budget small: the filter spans a fixed number
        // of cycles of the lower rate, so about 2.1 ms when 16 kHz is the lower rate and 4.2 ms at 8 kHz.
        double budget = Math.Min(inputRate, outputRate) <= 8000 ? 4.5 : 2.5;
        Assert.InRange(resampler.DelayMilliseconds, 0.5, budget);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Flush_releases_the_delayed_tail_so_the_whole_signal_comes_out(int inputRate, int outputRate)
    {
        // A stream that ends on a loud tone: without the flush, the last DelayMilliseconds of it stay in the filter.
        short[] input = ToneAnalysis.Sine(inputRate, 440, 0.5, inputRate / 10);
        IResampler resampler = Resampler.Create(inputRate, outputRate);
        short[] body = ToneAnalysis.ResampleInFrames(resampler, input);
        var tail = new short[resampler.MaxFlushSamples];
        int flushed = resampler.Flush(tail);

        // Output n stands for input time n / outputRate - delay; after the flush the last output reaches the last input.
        double lastRepresentedMs = ((body.Length + flushed - 1) * 1000.0 / outputRate) - resampler.DelayMilliseconds;
        double inputEndMs = (input.Length - 1) * 1000.0 / inputRate;
        // It may reach up to two input samples further (the delay rounded up to whole input samples, plus the phase).
        Assert.InRange(lastRepresentedMs, inputEndMs - (1000.0 / outputRate), inputEndMs + (1000.0 / outputRate) + (2000.0 / inputRate));
        Assert.True(ToneAnalysis.ToDb(Pcm16.Rms(tail.AsSpan(0, flushed)) * Math.Sqrt(2) / 0.5) > -6, "the tail carries the tone");

        // The flush also resets: the next stream starts clean.
        short[] again = ToneAnalysis.ResampleInFrames(resampler, input);
        Assert.Equal(ToneAnalysis.ResampleInFrames(Resampler.Create(inputRate, outputRate), input), again);
    }

    [Theory]
    [InlineData(48000, 16000)]
    [InlineData(8000, 48000)]
    public void Full_scale_square_waves_saturate_instead_of_wrapping(int inputRate, int outputRate)
    {
        // The filter's Gibbs overshoot on a full-scale square wave exceeds 16 bits; it must clip, not wrap around.
        int half = inputRate / 200; // 100 Hz square wave
        var input = new short[inputRate / 2];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (i / half) % 2 == 0 ? short.MaxValue : short.MinValue;
        }

        short[] result = ToneAnalysis.ResampleInFrames(Resampler.Create(inputRate, outputRate), input);
        int delay = (int)Math.Round(Resampler.Create(inputRate, outputRate).DelayMilliseconds * outputRate / 1000);
        int outHalf = outputRate / 200;
        for (int n = outputRate / 20; n < result.Length - delay; n++)
        {
            int position = n % (2 * outHalf);
            if (Math.Abs(position - (outHalf / 2)) < outHalf / 4)
            {
                Assert.True(result[n + delay] > 30000, $"sample {n} = {result[n + delay]}");
            }
            else if (Math.Abs(position - (3 * outHalf / 2)) < outHalf / 4)
            {
                Assert.True(result[n + delay] < -30000, $"sample {n} = {result[n + delay]}");
            }
        }

        Assert.Contains(short.MaxValue, result);
    }

    [Fact]
    public void Reset_makes_the_stream_start_afresh()
    {
        short[] input = ToneAnalysis.Noise(4800, 0.5, 3);
        IResampler used = Resampler.Create(48000, 16000);
        ToneAnalysis.ResampleInFrames(used, ToneAnalysis.Noise(960, 0.5, 4));
        used.Reset();
        Assert.Equal(ToneAnalysis.ResampleInFrames(Resampler.Create(48000, 16000), input), ToneAnalysis.ResampleInFrames(used, input));
    }

    [Fact]
    public void Process_allocates_nothing()
    {
        IResampler resampler = Resampler.Create(48000, 16000);
        IResampler upsampler = Resampler.Create(22050, 48000);
        short[] frame = ToneAnalysis.Noise(960, 0.5, 5);
        short[] frame22 = ToneAnalysis.Noise(441, 0.5, 6);
        var scratch = new short[2000];
        resampler.Process(frame, scratch);
        upsampler.Process(frame22, scratch);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            resampler.Process(frame, scratch);
            upsampler.Process(frame22, scratch);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Equal_rates_pass_samples_through_untouched()
    {
        IResampler resampler = Resampler.Create(24000, 24000);
        short[] input = ToneAnalysis.Noise(480, 0.5, 8);
        var result = new short[480];
        Assert.Equal(480, resampler.Process(input, result));
        Assert.Equal(input, result);
        Assert.Equal(0, resampler.DelayMilliseconds);
    }

    [Fact]
    public void Too_small_an_output_is_refused_before_anything_is_written()
    {
        IResampler resampler = Resampler.Create(16000, 48000);
        var result = new short[959];
        Assert.Throws<ArgumentException>(() => resampler.Process(new short[320], result));
    }

    [Theory]
    [InlineData(0, 16000)]
    [InlineData(16000, -1)]
    [InlineData(44100, 44099)]
    public void Unusable_rates_are_refused(int inputRate, int outputRate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.Create(inputRate, outputRate));
}

using MediaServer.Rtc.Jitter;
using MediaServer.Rtc.Tests.NetworkSimulation;

namespace MediaServer.Rtc.Tests.Jitter;

public sealed class TimeStretcherTests
{
    private static short[] Voiced(int rate, double f0, int length)
    {
        var x = new short[length];
        for (int i = 0; i < length; i++)
        {
            double p = 2 * Math.PI * f0 * i / rate;
            x[i] = (short)((6000 * Math.Sin(p)) + (2500 * Math.Sin(2 * p)) + (1200 * Math.Sin(3 * p)));
        }

        return x;
    }

    private static int MaxStep(ReadOnlySpan<short> x)
    {
        int max = 0;
        for (int i = 1; i < x.Length; i++)
        {
            max = Math.Max(max, Math.Abs(x[i] - x[i - 1]));
        }

        return max;
    }

    [Theory]
    [InlineData(8000, 125.0)]
    [InlineData(48000, 200.0)]
    [InlineData(16000, 310.0)]
    public void Compress_removes_one_pitch_period_without_a_click(int rate, double f0)
    {
        var x = Voiced(rate, f0, rate / 25); // 40 ms
        int natural = MaxStep(x);
        int period = TimeStretcher.Compress(x, x.Length, 1, rate);
        int expected = (int)Math.Round(rate / f0);

        // The period found is the pitch period or a multiple of it that still fits.
        Assert.True(period > 0);
        Assert.True(Math.Abs(period - (expected * Math.Round(period / (double)expected))) <= 1, $"period {period}, pitch {expected}");
        Assert.True(MaxStep(x.AsSpan(0, x.Length - period)) <= natural * 1.1, "discontinuity after compression");
    }

    [Fact]
    public void Expand_inserts_one_period_and_keeps_the_waveform_continuous()
    {
        const int rate = 8000;
        var x = Voiced(rate, 160, 160);
        var buffer = new short[400];
        x.CopyTo(buffer, 0);
        int natural = MaxStep(x);
        int inserted = TimeStretcher.Expand(buffer, 160, 1, rate);
        Assert.Equal(0, inserted % 50); // 160 Hz at 8 kHz: 50 samples
        Assert.True(inserted > 0);
        Assert.True(MaxStep(buffer.AsSpan(0, 160 + inserted)) <= natural * 1.1);
        Assert.Equal(x[^1], buffer[160 + inserted - 1]); // the original tail is intact at the end
    }

    [Fact]
    public void Noise_is_left_alone()
    {
        var random = new Random(1);
        var x = new short[960];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (short)random.Next(-8000, 8000);
        }

        Assert.Equal(0, TimeStretcher.Compress(x, x.Length, 1, 48000));
    }

    [Fact]
    public void Speech_stretched_both_ways_stays_close_to_the_original()
    {
        short[] speech = TestAudio.Speech8k;
        var work = new short[speech.Length + 4000];
        speech.CopyTo(work, 0);
        int changed = 0;
        for (int start = 0; start + 480 < speech.Length; start += 800)
        {
            changed += TimeStretcher.Compress(work.AsSpan(start), 320, 1, 8000) > 0 ? 1 : 0;
        }

        Assert.True(changed > 5, $"{changed} segments compressed");
    }
}

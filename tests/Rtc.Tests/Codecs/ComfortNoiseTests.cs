using MediaServer.Rtc.Codecs;

namespace MediaServer.Rtc.Tests.Codecs;

public sealed class ComfortNoiseTests
{
    [Theory]
    [InlineData(30)]
    [InlineData(50)]
    [InlineData(70)]
    public void Level_byte_sets_the_rms_in_dbov(int level)
    {
        var cn = new ComfortNoise();
        Assert.True(cn.TryUpdate([(byte)level]));
        var pcm = new short[1600];
        cn.Generate(pcm);
        double rms = Math.Sqrt(pcm.Average(v => (double)v * v));
        double dbov = 20 * Math.Log10(rms / 32767.0);
        Assert.InRange(dbov, -level - 1.0, -level + 1.0);
    }

    [Fact]
    public void Reflection_coefficients_shape_the_spectrum()
    {
        // A strongly positive first reflection coefficient makes a low-pass all-pole filter: neighbouring samples
        // correlate; white noise does not.
        var white = new ComfortNoise(1);
        white.TryUpdate([40]);
        var shaped = new ComfortNoise(1);
        shaped.TryUpdate([40, 10, 127]);
        Assert.Equal(2, shaped.Order);
        var a = new short[4000];
        var b = new short[4000];
        white.Generate(a);
        shaped.Generate(b);
        Assert.InRange(Lag1(a), -0.1, 0.1);
        Assert.True(Math.Abs(Lag1(b)) > 0.5, $"lag-1 correlation {Lag1(b):F2}");
    }

    [Fact]
    public void Level_127_and_empty_payload()
    {
        var cn = new ComfortNoise();
        Assert.False(cn.TryUpdate([]));
        cn.TryUpdate([127]);
        var pcm = new short[160];
        pcm.AsSpan().Fill(5);
        cn.Generate(pcm);
        Assert.All(pcm, v => Assert.Equal(0, v));
    }

    private static double Lag1(short[] x)
    {
        double num = 0, den = 0;
        for (int i = 1; i < x.Length; i++)
        {
            num += (double)x[i] * x[i - 1];
            den += (double)x[i] * x[i];
        }

        return num / den;
    }
}

using MediaServer.Pipeline.Audio;

namespace MediaServer.Pipeline.Tests.Audio;

public sealed class Pcm16Tests
{
    [Fact]
    public void Bytes_are_read_and_written_little_endian()
    {
        byte[] bytes = [0x34, 0x12, 0xFF, 0xFF, 0x00, 0x80, 0x7F];
        var samples = new short[3];
        Assert.Equal(3, Pcm16.ToShorts(bytes, samples));
        Assert.Equal(new short[] { 0x1234, -1, short.MinValue }, samples);

        var back = new byte[6];
        Assert.Equal(6, Pcm16.ToBytes(samples, back));
        Assert.Equal(bytes.AsSpan(0, 6).ToArray(), back);
    }

    [Fact]
    public void Short_destinations_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Pcm16.ToShorts(new byte[8], new short[3]));
        Assert.Throws<ArgumentException>(() => Pcm16.ToBytes(new short[4], new byte[7]));
    }

    [Fact]
    public void Floats_round_trip_and_saturate()
    {
        short[] samples = [0, 1, -1, short.MaxValue, short.MinValue, 12345];
        var floats = new float[samples.Length];
        Pcm16.ToFloat(samples, floats);
        Assert.Equal(-1f, floats[4]);
        var back = new short[samples.Length];
        Pcm16.FromFloat(floats, back);
        Assert.Equal(samples, back);

        float[] loud = [1.5f, -1.5f, 1f, float.NaN, 0.49f / 32768f, 0.51f / 32768f];
        var clipped = new short[loud.Length];
        Pcm16.FromFloat(loud, clipped);
        Assert.Equal(new short[] { short.MaxValue, short.MinValue, short.MaxValue, 0, 0, 1 }, clipped);
    }

    [Fact]
    public void Levels_follow_the_full_scale_square_wave_convention()
    {
        var square = new short[320];
        for (int i = 0; i < square.Length; i++)
        {
            square[i] = (short)(i % 2 == 0 ? short.MaxValue : short.MinValue);
        }

        Assert.InRange(Pcm16.Dbfs(square), -0.01, 0.0);
        Assert.InRange(Pcm16.Dbfs(ToneAnalysis.Sine(16000, 1000, 1.0, 1600)), -3.03, -2.99);
        Assert.InRange(Pcm16.Dbfs(ToneAnalysis.Sine(16000, 1000, 0.01, 1600)), -43.1, -42.9);
        Assert.Equal(Pcm16.SilenceDbfs, Pcm16.Dbfs(new short[320]));
        Assert.Equal(Pcm16.SilenceDbfs, Pcm16.Dbfs([]));
        Assert.Equal(0, Pcm16.Rms([]));
    }
}

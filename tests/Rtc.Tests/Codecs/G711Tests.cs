using MediaServer.Rtc.Codecs;

namespace MediaServer.Rtc.Tests.Codecs;

public sealed class G711Tests
{
    // Values from ITU-T G.711 Tables 1/2 (and the G.191 reference implementation): code words at the ends of the
    // range and at zero.
    [Theory]
    [InlineData((short)0, (byte)0xFF)]
    [InlineData((short)-1, (byte)0x7F)]
    [InlineData((short)32767, (byte)0x80)]
    [InlineData((short)-32768, (byte)0x00)]
    [InlineData((short)1000, (byte)0xCE)]
    [InlineData((short)-1000, (byte)0x4E)]
    public void MuLaw_encodes_itu_values(short pcm, byte code) => Assert.Equal(code, G711.MuLawEncode(pcm));

    [Theory]
    [InlineData((byte)0xFF, (short)0)]
    [InlineData((byte)0x7F, (short)0)]
    [InlineData((byte)0x80, (short)32124)]
    [InlineData((byte)0x00, (short)-32124)]
    [InlineData((byte)0xFE, (short)8)]
    [InlineData((byte)0xEF, (short)132)]
    public void MuLaw_decodes_itu_values(byte code, short pcm) => Assert.Equal(pcm, G711.MuLawDecode(code));

    [Theory]
    [InlineData((short)0, (byte)0xD5)]
    [InlineData((short)-1, (byte)0x55)]
    [InlineData((short)32767, (byte)0xAA)]
    [InlineData((short)-32768, (byte)0x2A)]
    public void ALaw_encodes_itu_values(short pcm, byte code) => Assert.Equal(code, G711.ALawEncode(pcm));

    [Theory]
    [InlineData((byte)0xD5, (short)8)]
    [InlineData((byte)0x55, (short)-8)]
    [InlineData((byte)0xAA, (short)32256)]
    [InlineData((byte)0x2A, (short)-32256)]
    public void ALaw_decodes_itu_values(byte code, short pcm) => Assert.Equal(pcm, G711.ALawDecode(code));

    [Fact]
    public void Tables_match_the_segment_definition_for_every_sample()
    {
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            Assert.Equal(G711.MuLawEncodeReference((short)x), G711.MuLawEncode((short)x));
            Assert.Equal(G711.ALawEncodeReference((short)x), G711.ALawEncode((short)x));
        }
    }

    [Fact]
    public void Every_code_word_survives_decode_then_encode()
    {
        for (int c = 0; c < 256; c++)
        {
            if (c != 0x7F) // µ-law negative zero decodes to 0, which encodes as positive zero
            {
                Assert.Equal((byte)c, G711.MuLawEncode(G711.MuLawDecode((byte)c)));
            }

            Assert.Equal((byte)c, G711.ALawEncode(G711.ALawDecode((byte)c)));
        }
    }

    [Fact]
    public void Round_trip_error_is_within_half_a_quantisation_step()
    {
        // The quantisation step doubles with every segment: µ-law steps are 8..1024 (16-bit scale) and A-law
        // 16..1024. The error of a round trip is at most half the local step plus the input truncation
        // (4 for µ-law's 14 bits, 8 for A-law's 13 bits), away from the clipping region at the very top.
        for (int x = -32000; x <= 32000; x++)
        {
            int mu = G711.MuLawDecode(G711.MuLawEncode((short)x));
            int muStep = 8 << MuLawSegment(Math.Abs(x));
            Assert.True(Math.Abs(mu - x) <= (muStep / 2) + 4, $"µ-law {x} -> {mu}");

            int a = G711.ALawDecode(G711.ALawEncode((short)x));
            int aStep = 16 << Math.Max(0, ALawSegment(Math.Abs(x)) - 1);
            Assert.True(Math.Abs(a - x) <= (aStep / 2) + 8, $"A-law {x} -> {a}");
        }
    }

    [Fact]
    public void Span_round_trip_of_a_sine_keeps_the_g711_snr()
    {
        // G.711 gives about 38 dB SNR over a wide level range; a -10 dBFS 1 kHz tone must reach 35 dB.
        var pcm = new short[8000];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(10362 * Math.Sin(2 * Math.PI * 1000 * i / 8000.0 + 0.3));
        }

        var code = new byte[pcm.Length];
        var back = new short[pcm.Length];
        G711.MuLawEncode(pcm, code);
        G711.MuLawDecode(code, back);
        Assert.True(Snr(pcm, back) > 35, $"µ-law SNR {Snr(pcm, back)}");
        G711.ALawEncode(pcm, code);
        G711.ALawDecode(code, back);
        Assert.True(Snr(pcm, back) > 35, $"A-law SNR {Snr(pcm, back)}");
    }

    [Fact]
    public void Short_destination_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => G711.MuLawEncode(new short[4], new byte[3]));
        Assert.Throws<ArgumentException>(() => G711.ALawDecode(new byte[4], new short[3]));
    }

    private static int MuLawSegment(int magnitude)
    {
        int biased = Math.Min(magnitude + 132, 32767);
        return (31 - int.LeadingZeroCount(biased)) - 7;
    }

    private static int ALawSegment(int magnitude)
    {
        int v = magnitude >> 3;
        int segment = 0;
        while (segment < 7 && v > ((0x20 << segment) - 1))
        {
            segment++;
        }

        return segment;
    }

    private static double Snr(short[] a, short[] b)
    {
        double s = 0, n = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += (double)a[i] * a[i];
            n += (double)(a[i] - b[i]) * (a[i] - b[i]);
        }

        return 10 * Math.Log10(s / n);
    }
}

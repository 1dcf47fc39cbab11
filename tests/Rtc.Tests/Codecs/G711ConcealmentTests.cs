using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Tests.NetworkSimulation;

namespace MediaServer.Rtc.Tests.Codecs;

public sealed class G711ConcealmentTests
{
    private const int Frame = 160;

    [Fact]
    public void Clean_stream_is_delayed_by_3_75_ms_and_otherwise_bit_exact()
    {
        short[] speech = TestAudio.Speech8k;
        var decoder = new G711Decoder(G711Law.MuLaw);
        var payload = new byte[Frame];
        var output = new short[speech.Length];
        var reference = new short[speech.Length];
        for (int i = 0; i + Frame <= speech.Length; i += Frame)
        {
            G711.MuLawEncode(speech.AsSpan(i, Frame), payload);
            G711.MuLawDecode(payload, reference.AsSpan(i, Frame));
            decoder.Decode(payload, output.AsSpan(i, Frame));
        }

        Assert.Equal(reference.AsSpan(0, speech.Length - 200).ToArray(), output.AsSpan(30, speech.Length - 200).ToArray());
    }

    [Fact]
    public void A_lost_frame_of_a_voiced_sound_is_continued_not_silenced()
    {
        // A 200 Hz tone with harmonics: pitch period 40 samples. Lose one 20 ms frame.
        var signal = new short[8000];
        for (int i = 0; i < signal.Length; i++)
        {
            signal[i] = (short)((6000 * Math.Sin(2 * Math.PI * 200 * i / 8000.0)) + (2000 * Math.Sin(2 * Math.PI * 400 * i / 8000.0)));
        }

        var decoder = new G711Decoder(G711Law.ALaw);
        var payload = new byte[Frame];
        var output = new short[signal.Length];
        int lostFrame = 20;
        for (int f = 0; f < signal.Length / Frame; f++)
        {
            var pcm = output.AsSpan(f * Frame, Frame);
            G711.ALawEncode(signal.AsSpan(f * Frame, Frame), payload);
            if (f == lostFrame)
            {
                decoder.Conceal(pcm, Frame);
            }
            else
            {
                decoder.Decode(payload, pcm);
            }
        }

        Assert.Equal(40, decoder.GetConcealerPitch());

        // Compare the concealed stretch (shifted by the 30-sample delay) with what was really sent.
        var original = signal.AsSpan(lostFrame * Frame, Frame);
        var concealed = output.AsSpan((lostFrame * Frame) + 30, Frame);
        double snr = Snr(original, concealed);

        // Threshold: a periodic signal repeated by its own pitch must come out far above silence (0 dB).
        Assert.True(snr > 15, $"concealment SNR {snr:F1} dB");
    }

    [Fact]
    public void Long_gap_fades_to_silence_after_60_ms()
    {
        short[] tone = TestAudio.Sine(8000, 250, 1.0);
        var decoder = new G711Decoder(G711Law.MuLaw);
        var payload = new byte[Frame];
        var pcm = new short[Frame];
        for (int f = 0; f < 20; f++)
        {
            G711.MuLawEncode(tone.AsSpan(f * Frame, Frame), payload);
            decoder.Decode(payload, pcm);
        }

        var gap = new short[Frame * 5];
        for (int f = 0; f < 5; f++)
        {
            decoder.Conceal(gap.AsSpan(f * Frame, Frame), Frame);
        }

        double Rms(Span<short> s) => Math.Sqrt(s.ToArray().Average(v => (double)v * v));
        double first = Rms(gap.AsSpan(30, 80));
        double middle = Rms(gap.AsSpan(30 + 240, 80)); // 30-40 ms into the gap: 40 % down
        double after = Rms(gap.AsSpan(30 + 490, 200)); // past 60 ms
        Assert.True(first > 4000, $"first 10 ms rms {first}");
        Assert.InRange(middle / first, 0.45, 0.75);
        Assert.True(after < 1, $"after 60 ms rms {after}");
    }

    [Fact]
    public void Recovery_after_a_gap_has_no_click()
    {
        short[] tone = TestAudio.Sine(8000, 300, 1.0);
        var decoder = new G711Decoder(G711Law.MuLaw);
        var payload = new byte[Frame];
        var output = new short[tone.Length];
        for (int f = 0; f < tone.Length / Frame; f++)
        {
            var pcm = output.AsSpan(f * Frame, Frame);
            G711.MuLawEncode(tone.AsSpan(f * Frame, Frame), payload);
            if (f is 10 or 11 or 12)
            {
                decoder.Conceal(pcm, Frame);
            }
            else
            {
                decoder.Decode(payload, pcm);
            }
        }

        // The largest sample-to-sample step of a 300 Hz, 8000-amplitude sine at 8 kHz is about 1900; a click
        // (sudden jump to the real signal) would exceed it by far.
        int maxStep = 0;
        for (int i = 1; i < output.Length; i++)
        {
            maxStep = Math.Max(maxStep, Math.Abs(output[i] - output[i - 1]));
        }

        Assert.True(maxStep < 2600, $"max step {maxStep}");
    }

    private static double Snr(ReadOnlySpan<short> a, ReadOnlySpan<short> b)
    {
        double s = 0, e = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += (double)a[i] * a[i];
            e += (double)(a[i] - b[i]) * (a[i] - b[i]);
        }

        return 10 * Math.Log10(s / (e + 1e-9));
    }
}

using System.Diagnostics;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// Makes test utterances with Debian's flite (slt voice, which the embedded pocketsphinx recognises almost word for
/// word) and sox: 16-bit mono little-endian PCM at the requested rate, with silence before and after.
/// </summary>
public static class TestSpeech
{
    private static readonly string CacheDir = Path.Combine(Path.GetTempPath(), "mediaserver-test-speech");

    public static byte[] Pcm(string text, int sampleRate = 24_000, double leadSeconds = 0.5, double tailSeconds = 1.5)
    {
        Directory.CreateDirectory(CacheDir);
        string key = $"{string.Join('_', text.Split(' ')).Replace("?", "", StringComparison.Ordinal)}_{sampleRate}_{leadSeconds}_{tailSeconds}";
        string raw = Path.Combine(CacheDir, key + ".raw");
        if (!File.Exists(raw))
        {
            string wav = Path.Combine(CacheDir, key + ".wav");
            Run("flite", "-voice", "slt", "-t", text, "-o", wav);
            Run("sox", wav, "-r", sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "1", "-b", "16",
                "-e", "signed-integer", "-t", "raw", raw + ".tmp", "pad",
                leadSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                tailSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.Move(raw + ".tmp", raw, overwrite: true);
        }

        return File.ReadAllBytes(raw);
    }

    /// <summary>The same utterance as 8 kHz G.711 µ-law (what a phone sends), for SIPp's rtp_stream.</summary>
    public static byte[] Ulaw(string text, double leadSeconds = 0.5, double tailSeconds = 1.5)
    {
        byte[] pcm = Pcm(text, 8_000, leadSeconds, tailSeconds);
        var ulaw = new byte[pcm.Length / 2];
        var samples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(pcm);
        MediaServer.Rtc.Codecs.G711.MuLawEncode(samples, ulaw);
        return ulaw;
    }

    public static byte[] Silence(double seconds, int sampleRate = 24_000) => new byte[(int)(seconds * sampleRate) * 2];

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {err}");
        }
    }

    /// <summary>RMS of 16-bit little-endian PCM, in sample units.</summary>
    public static double Rms(ReadOnlySpan<byte> pcm)
    {
        double sum = 0;
        int n = pcm.Length / 2;
        for (int i = 0; i < n; i++)
        {
            short s = (short)(pcm[2 * i] | (pcm[(2 * i) + 1] << 8));
            sum += (double)s * s;
        }

        return n == 0 ? 0 : Math.Sqrt(sum / n);
    }
}

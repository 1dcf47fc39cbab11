using System.Diagnostics;
using MediaServer.Rtc.Codecs;

namespace MediaServer.SipBridge.Tests.Sipp;

/// <summary>Speech for the phone tests: a flite utterance as raw µ-law (what SIPp's rtp_stream needs) and as PCM.</summary>
internal static class AudioFixtures
{
    private static readonly Lazy<(string Path, short[] Pcm)> Hello = new(Create);

    public static string UlawPath => Hello.Value.Path;

    /// <summary>The µ-law file decoded: exactly what arrives if the path is lossless.</summary>
    public static short[] Reference => Hello.Value.Pcm;

    private static (string, short[]) Create()
    {
        string dir = Path.Combine(Path.GetTempPath(), "sipbridge-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string wav = Path.Combine(dir, "hello.wav");
        string ulaw = Path.Combine(dir, "hello.ulaw");
        Run("flite", $"-voice slt -t \"hello, this is the phone line test\" -o {wav}");
        Run("sox", $"{wav} -r 8000 -c 1 -t ul {ulaw}");
        byte[] bytes = File.ReadAllBytes(ulaw);
        var pcm = new short[bytes.Length];
        G711.MuLawDecode(bytes, pcm);
        return (ulaw, pcm);
    }

    private static void Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException(file + " failed: " + p.StandardError.ReadToEnd());
        }
    }

    /// <summary>A sine tone at 8 kHz.</summary>
    public static short[] Tone(double hz, TimeSpan length, short amplitude = 8000)
    {
        var s = new short[(int)(length.TotalSeconds * 8000)];
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = (short)(amplitude * Math.Sin(2 * Math.PI * hz * i / 8000));
        }

        return s;
    }

    /// <summary>
    /// How well <paramref name="received"/> reproduces <paramref name="reference"/>: the five loudest 100 ms windows of
    /// the reference are each found in the received audio at their best lag (normalised correlation), and the median
    /// is returned. Windows, rather than one long stretch, because the jitter buffer legitimately shifts playout by
    /// whole pitch periods when it adapts, which would decorrelate a long block of otherwise intact speech.
    /// </summary>
    public static double BestCorrelation(short[] reference, short[] received, out int lag)
    {
        const int window = 800;
        var candidates = new List<(double Energy, int Start)>();
        for (int i = 0; i + window <= reference.Length; i += window)
        {
            double e = 0;
            for (int k = 0; k < window; k++)
            {
                e += (double)reference[i + k] * reference[i + k];
            }

            candidates.Add((e, i));
        }

        var loudest = candidates.OrderByDescending(c => c.Energy).Take(5).ToList();
        var scores = new List<(double Corr, int Lag)>();
        foreach (var (refEnergy, start) in loudest)
        {
            double bestCorr = 0;
            int bestLag = -1;
            for (int l = 0; l + window <= received.Length; l++)
            {
                double dot = 0, e = 0;
                for (int k = 0; k < window; k++)
                {
                    double x = received[l + k];
                    dot += reference[start + k] * x;
                    e += x * x;
                }

                if (e <= 0 || refEnergy <= 0)
                {
                    continue;
                }

                double c = dot / Math.Sqrt(refEnergy * e);
                if (c > bestCorr)
                {
                    bestCorr = c;
                    bestLag = l - start;
                }
            }

            scores.Add((bestCorr, bestLag));
        }

        if (scores.Count == 0)
        {
            lag = -1;
            return 0;
        }

        var median = scores.OrderBy(s => s.Corr).ElementAt(scores.Count / 2);
        lag = median.Lag;
        return median.Corr;
    }

    /// <summary>RMS of a span.</summary>
    public static double Rms(ReadOnlySpan<short> s)
    {
        double e = 0;
        foreach (short x in s)
        {
            e += (double)x * x;
        }

        return s.IsEmpty ? 0 : Math.Sqrt(e / s.Length);
    }
}

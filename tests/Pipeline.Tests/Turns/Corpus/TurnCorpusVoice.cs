using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MediaServer.Pipeline.Tests.Audio;

namespace MediaServer.Pipeline.Tests.Turns.Corpus;

/// <summary>The speech synthesiser a corpus voice runs (Debian's command-line tools).</summary>
public enum TurnCorpusEngine
{
    /// <summary><c>flite -voice NAME --setf duration_stretch=X</c> (16 kHz).</summary>
    Flite,

    /// <summary><c>espeak-ng -v NAME -s WPM</c> (22,050 Hz, resampled to 16 kHz).</summary>
    EspeakNg,
}

/// <summary>
/// One synthetic speaker at one speaking rate. <see cref="Synthesize"/> returns 16 kHz mono PCM with the
/// synthesiser's own leading and trailing silence trimmed, so a fragment's last sample is its true end of speech.
/// Clips are cached under the temp folder by a hash of (engine, voice, rate, text): the tools are deterministic, and a
/// corpus of a hundred clips is then built in milliseconds on the second run.
/// </summary>
/// <param name="Engine">flite or espeak-ng.</param>
/// <param name="Voice">flite voice (<c>slt</c>, <c>rms</c>, <c>awb</c>, <c>kal</c>) or espeak-ng voice (<c>en-us</c>).</param>
/// <param name="Rate">flite: duration stretch (1.0 normal, 1.3 slower, 0.8 faster); espeak-ng: words per minute.</param>
public sealed record TurnCorpusVoice(TurnCorpusEngine Engine, string Voice, double Rate)
{
    /// <summary>Samples whose absolute value stays below this (about -42 dBFS) count as the synthesiser's silence.</summary>
    private const int SilenceLevel = 260;

    public string Name => Engine == TurnCorpusEngine.Flite
        ? string.Create(CultureInfo.InvariantCulture, $"flite-{Voice}-x{Rate:0.##}")
        : string.Create(CultureInfo.InvariantCulture, $"espeak-{Voice}-{Rate:0}wpm");

    public static TurnCorpusVoice Flite(string voice = "slt", double stretch = 1.0) => new(TurnCorpusEngine.Flite, voice, stretch);

    public static TurnCorpusVoice EspeakNg(string voice = "en-us", int wordsPerMinute = 175) => new(TurnCorpusEngine.EspeakNg, voice, wordsPerMinute);

    /// <summary>Speaks <paramref name="text"/>; 16 kHz mono, silence trimmed at both ends.</summary>
    public short[] Synthesize(string text) => Render(text, phones: false);

    /// <summary>
    /// Speaks flite phones (<c>flite -p</c>, e.g. <c>"pau m hh m pau"</c>): for sounds that have no spelling flite
    /// reads as intended (it reads "mhm" as the letters "em aitch em"). flite voices only.
    /// </summary>
    public short[] SynthesizePhones(string phones)
    {
        if (Engine != TurnCorpusEngine.Flite)
        {
            throw new NotSupportedException("phone input is a flite feature");
        }

        return Render(phones, phones: true);
    }

    private short[] Render(string text, bool phones)
    {
        string cache = Path.Combine(Path.GetTempPath(), "mediaserver-turn-corpus");
        Directory.CreateDirectory(cache);
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{Name}|{(phones ? "phones:" : "")}{text}")))[..24];
        string cached = Path.Combine(cache, key + ".wav");
        if (!File.Exists(cached))
        {
            string raw = Path.Combine(cache, $"{key}-{Guid.NewGuid():N}.raw.wav");
            try
            {
                Run(raw, text, phones);
                short[] samples = TestAudio.ReadWav(raw, out int rate);
                if (rate != 16_000)
                {
                    samples = TestAudio.Resample(samples, rate, 16_000);
                }

                string temp = cached + "." + Guid.NewGuid().ToString("N");
                TurnCorpusWav.Write(temp, Trim(samples), 16_000);
                File.Move(temp, cached, overwrite: true);
            }
            finally
            {
                File.Delete(raw);
            }
        }

        return TestAudio.ReadWav(cached, out _);
    }

    private void Run(string output, string text, bool phones)
    {
        var start = Engine == TurnCorpusEngine.Flite ? new ProcessStartInfo("flite") : new ProcessStartInfo("espeak-ng");
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        string[] args = Engine == TurnCorpusEngine.Flite
            ? ["-voice", Voice, "--setf", string.Create(CultureInfo.InvariantCulture, $"duration_stretch={Rate}"), phones ? "-p" : "-t", text, "-o", output]
            : ["-v", Voice, "-s", ((int)Rate).ToString(CultureInfo.InvariantCulture), "-w", output, text];
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{start.FileName} failed with exit code {process.ExitCode}");
        }
    }

    /// <summary>Cuts the synthesiser's leading and trailing silence (10 ms windows below <see cref="SilenceLevel"/>).</summary>
    internal static short[] Trim(short[] samples)
    {
        const int window = 160;
        int first = 0;
        while (first + window <= samples.Length && Peak(samples.AsSpan(first, window)) < SilenceLevel)
        {
            first += window;
        }

        int last = samples.Length;
        while (last - window >= first && Peak(samples.AsSpan(last - window, window)) < SilenceLevel)
        {
            last -= window;
        }

        return samples[first..last];
    }

    private static int Peak(ReadOnlySpan<short> samples)
    {
        int peak = 0;
        foreach (short s in samples)
        {
            peak = Math.Max(peak, Math.Abs((int)s));
        }

        return peak;
    }
}

using System.Diagnostics;
using MediaServer.Pipeline.Profile;
using MediaServer.Pipeline.Tests.Stt;

namespace MediaServer.Pipeline.Tests.Profile;

/// <summary>Utterances with known prosody from Debian's espeak-ng and flite, converted to 16 kHz mono by sox,
/// and a helper that runs them through a profiler in 20 ms frames.</summary>
internal static class ProfileSpeech
{
    public const string Sentence = "I would like to book a table for two people tomorrow evening at seven, near the window if you can.";

    /// <summary><c>espeak-ng -v voice args -w file text</c>, then <c>sox file -r 16000 -c 1 -b 16 out</c>.</summary>
    public static short[] Espeak(string voice = "en-us", int pitch = 50, int speed = 175, int amplitude = 100, string text = Sentence)
    {
        var raw = Temp("espeak");
        try
        {
            Run("espeak-ng", "-v", voice, "-p", pitch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-s", speed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-a", amplitude.ToString(System.Globalization.CultureInfo.InvariantCulture), "-w", raw, text);
            return To16k(raw);
        }
        finally
        {
            File.Delete(raw);
        }
    }

    /// <summary><c>flite -voice v -t text -o file</c> with optional sox effects (e.g. <c>pitch 400</c>, <c>tempo 1.6</c>, <c>vol 0.1</c>).</summary>
    public static short[] Flite(string voice = "slt", string text = Sentence, params string[] soxEffects)
    {
        var raw = Temp("flite");
        try
        {
            Run("flite", "-voice", voice, "-t", text, "-o", raw);
            return To16k(raw, soxEffects);
        }
        finally
        {
            File.Delete(raw);
        }
    }

    /// <summary>Feeds <paramref name="pcm"/> in 20 ms frames and completes the turn.</summary>
    public static VoiceProfile Profile(short[] pcm, VoiceProfileBaseline baseline, string transcript = Sentence)
    {
        using var analyzer = new AcousticVoiceProfiler().Start(baseline);
        for (var i = 0; i < pcm.Length; i += 320)
        {
            analyzer.Write(pcm.AsSpan(i, Math.Min(320, pcm.Length - i)));
        }

        return analyzer.Complete(transcript);
    }

    public static string Describe(VoiceProfile p) =>
        $"{p.ToContextNote()} | {p.Features}";

    private static short[] To16k(string raw, params string[] effects)
    {
        var converted = Temp("sox");
        try
        {
            Run("sox", [raw, "-r", "16000", "-c", "1", "-b", "16", converted, .. effects]);
            var (rate, samples) = TestSpeech.ReadWav(File.ReadAllBytes(converted));
            Assert.Equal(16_000, rate);
            return samples;
        }
        finally
        {
            File.Delete(converted);
        }
    }

    private static string Temp(string prefix) => Path.Combine(Path.GetTempPath(), $"profile-{prefix}-{Guid.NewGuid():N}.wav");

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {stderr.Result}");
    }
}

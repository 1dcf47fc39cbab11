using System.Diagnostics;

namespace MediaServer.Load;

/// <summary>
/// The caller's speech: one sentence synthesised once with flite (<c>slt</c>) and followed by silence, written as
/// raw audio in each transport's format (24 kHz PCM for WebSocket, 48 kHz PCM for WebRTC, 8 kHz µ-law for SIPp's
/// <c>rtp_stream</c>). Every call loops it: a turn, a pause long enough for the agent's answer, a turn again.
/// </summary>
public sealed class SpeechClip
{
    public const string Sentence = "Hello, can you tell me what time the store opens tomorrow morning?";
    public const double SilenceSeconds = 4.0;

    private SpeechClip(string directory)
    {
        Pcm24k = Path.Combine(directory, "clip-24k.raw");
        Pcm48k = Path.Combine(directory, "clip-48k.raw");
        Ulaw = Path.Combine(directory, "clip-8k.ulaw");
    }

    public string Pcm24k { get; }

    public string Pcm48k { get; }

    public string Ulaw { get; }

    public static async Task<SpeechClip> CreateAsync()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mediaserver-load");
        Directory.CreateDirectory(dir);
        var clip = new SpeechClip(dir);
        if (File.Exists(clip.Pcm24k) && File.Exists(clip.Pcm48k) && File.Exists(clip.Ulaw))
        {
            return clip;
        }

        string wav = Path.Combine(dir, "speech.wav");
        await RunAsync("flite", "-voice", "slt", "-t", Sentence, "-o", wav);
        string pad = SilenceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await RunAsync("sox", wav, "-r", "24000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", clip.Pcm24k, "pad", "0.5", pad);
        await RunAsync("sox", wav, "-r", "48000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", clip.Pcm48k, "pad", "0.5", pad);
        await RunAsync("sox", wav, "-r", "8000", "-c", "1", "-e", "u-law", "-t", "raw", clip.Ulaw, "pad", "0.5", pad);
        return clip;
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        string err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {err}");
        }
    }
}

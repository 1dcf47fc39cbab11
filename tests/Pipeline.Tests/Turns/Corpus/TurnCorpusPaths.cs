using MediaServer.Pipeline.Tests.Audio;

namespace MediaServer.Pipeline.Tests.Turns.Corpus;

/// <summary>How the user's audio reaches the server.</summary>
public enum TurnCorpusPath
{
    /// <summary>SIP trunk: band-limited to 8 kHz and companded with G.711 µ-law (sox), decoded to 8 kHz PCM.</summary>
    Telephone8k,

    /// <summary>WebRTC Opus: 48 kHz wideband PCM (sox's resampler, as a browser's would be).</summary>
    Wideband48k,

    /// <summary>Realtime WebSocket <c>audio/pcm</c> at 24 kHz.</summary>
    Pcm24k,
}

/// <summary>Converts corpus audio to an input path with sox, an implementation independent of the server's own.</summary>
public static class TurnCorpusPaths
{
    public static int SampleRate(TurnCorpusPath path) => path switch
    {
        TurnCorpusPath.Telephone8k => 8000,
        TurnCorpusPath.Wideband48k => 48_000,
        _ => 24_000,
    };

    public static TurnCorpusAudio Convert(TurnCorpusUtterance utterance, TurnCorpusPath path)
    {
        string dir = Path.Combine(Path.GetTempPath(), "mediaserver-turn-corpus");
        Directory.CreateDirectory(dir);
        string id = Guid.NewGuid().ToString("N");
        string input = Path.Combine(dir, id + ".in.wav");
        string coded = Path.Combine(dir, id + ".ulaw.wav");
        string output = Path.Combine(dir, id + ".out.wav");
        try
        {
            TurnCorpusWav.Write(input, utterance.Pcm16k, 16_000);
            int rate = SampleRate(path);
            if (path == TurnCorpusPath.Telephone8k)
            {
                Sox(input, "-r", "8000", "-e", "u-law", "-b", "8", coded);
                Sox(coded, "-e", "signed-integer", "-b", "16", output);
            }
            else
            {
                Sox(input, "-r", rate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-e", "signed-integer", "-b", "16", output);
            }

            short[] pcm = TestAudio.ReadWav(output, out int actual);
            if (actual != rate)
            {
                throw new InvalidDataException($"sox wrote {actual} Hz, expected {rate}");
            }

            return new TurnCorpusAudio(utterance, path, rate, pcm);
        }
        finally
        {
            File.Delete(input);
            File.Delete(coded);
            File.Delete(output);
        }
    }

    private static void Sox(string input, params string[] outputArgs) => ToolProcess.Run("sox", ["-q", input, .. outputArgs]);
}

using System.Globalization;
using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Interruptions;
using MediaServer.Pipeline.Tests.Audio;
using MediaServer.Pipeline.Tests.Turns.Corpus;
using MediaServer.Rtc.Codecs;

namespace MediaServer.Pipeline.Tests.Interruptions;

/// <summary>
/// Builds the labelled barge-in corpus: the agent (flite kal16) talks for six seconds, and 1.5 s in the microphone
/// hears one of
/// <list type="bullet">
/// <item>real interruptions (flite slt and awb sentences, and jfk.wav),</item>
/// <item>backchannels ("yeah", "uh huh", "mhm", "right", "okay", "yeah right", a short laugh),</item>
/// <item>noise and coughs synthesised by sox (pink and white noise bursts, band-passed brown-noise coughs, knocks),</item>
/// <item>nothing but the agent's own audio mixed back at 40–300 ms and -6 to -20 dB,</item>
/// </list>
/// over an 8 kHz G.711 µ-law path (the agent's audio and the microphone both companded, the echo inside the loop as
/// on a phone line) and a 48 kHz wideband path. Clips are synthesised once and cached (<see cref="TurnCorpusVoice"/>).
/// The truth of every case is written in the case itself.
/// </summary>
public static class InterruptionCorpus
{
    public const long AgentStartMs = 500;
    public const long SoundOnsetMs = 1500;
    private const int TotalMs = 6000;
    private const int NoisePeak = 24;

    public static readonly string[] Interruptions =
    [
        "wait stop I have a question",
        "no that is not what I asked for",
        "hold on can you repeat the last part",
        "excuse me I need to leave now",
        "actually let me tell you something",
    ];

    public static readonly string[] Backchannels = ["yeah", "uh huh", "mhm", "right", "okay", "yeah right", "ha ha"];

    /// <summary>
    /// Backchannels flite cannot say from their spelling, given as flite phones: it reads "mhm" as the letters
    /// "em aitch em" (three spoken words, not a backchannel), so the corpus hums it instead.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> BackchannelPhones = new Dictionary<string, string>
    {
        ["mhm"] = "pau m hh m pau",
    };

    /// <summary>sox synth effects for noise clips (16 kHz mono).</summary>
    public static readonly (string Name, string[] Synth)[] Noises =
    [
        ("pink-burst-300ms", ["synth", "0.3", "pinknoise", "fade", "t", "0.01", "0.3", "0.05", "vol", "0.5"]),
        ("pink-burst-1200ms", ["synth", "1.2", "pinknoise", "fade", "t", "0.02", "1.2", "0.1", "vol", "0.4"]),
        ("white-burst-500ms", ["synth", "0.5", "whitenoise", "fade", "t", "0.01", "0.5", "0.05", "vol", "0.3"]),
        ("cough", ["synth", "0.28", "brownnoise", "band", "1100", "1400", "fade", "t", "0.004", "0.28", "0.22", "vol", "0.9"]),
        ("double-cough", ["synth", "0.22", "brownnoise", "band", "900", "1200", "fade", "t", "0.004", "0.22", "0.17", "vol", "0.9", "repeat", "1"]),
        ("knocks", ["synth", "0.06", "pinknoise", "lowpass", "800", "fade", "t", "0.002", "0.06", "0.05", "vol", "0.9", "pad", "0", "0.14", "repeat", "2"]),
    ];

    public static readonly int[] EchoDelaysMs = [40, 120, 200, 300];

    public static readonly double[] EchoLevelsDb = [-6, -12, -20];

    private static readonly TurnCorpusVoice Agent = TurnCorpusVoice.Flite("kal16");

    private const string AgentText =
        "Thanks for calling. Your order shipped this morning and should arrive on Thursday. " +
        "If you are not home, the driver will leave it with a neighbour or at the post office nearby.";

    /// <summary>
    /// Every case on both paths (<paramref name="full"/>), or a subset that keeps every class, both paths and the
    /// extreme echo delays and levels (for the default test run: the full corpus replays in about a minute).
    /// </summary>
    public static IReadOnlyList<InterruptionCase> Build(bool full = true)
    {
        var all = BuildAll(echoUnderSounds: true);
        if (full)
        {
            return all;
        }

        string[] keep =
        [
            "interrupt 'wait stop I have a question' slt", "interrupt 'no that is not what I asked for' awb",
            "interrupt 'hold on can you repeat the last part' slt over echo", "interrupt jfk",
            "backchannel 'uh huh'", "backchannel 'mhm'", "backchannel 'okay'", "backchannel 'yeah right' over echo", "backchannel 'ha ha'",
            "noise pink-burst-1200ms", "noise cough", "noise knocks",
            "echo 40 ms -6 dB", "echo 300 ms -6 dB", "echo 120 ms -12 dB", "echo 300 ms -20 dB",
        ];
        return [.. all.Where(c => keep.Any(k => c.Name.StartsWith(k + " [", StringComparison.Ordinal)))];
    }

    private static List<InterruptionCase> BuildAll(bool echoUnderSounds)
    {
        var cases = new List<InterruptionCase>();
        short[] agent = Agent.Synthesize(AgentText);
        foreach (var path in new[] { InterruptionPath.Telephone8kG711, InterruptionPath.Wideband48k })
        {
            foreach (string text in Interruptions)
            {
                foreach (var voice in new[] { TurnCorpusVoice.Flite("slt"), TurnCorpusVoice.Flite("awb") })
                {
                    cases.Add(Make($"interrupt '{text}' {voice.Voice}", InterruptionKind.Interruption, path, agent, voice.Synthesize(text), -1, 0));
                }

                if (echoUnderSounds)
                {
                    cases.Add(Make($"interrupt '{text}' slt over echo", InterruptionKind.Interruption, path, agent,
                        TurnCorpusVoice.Flite("slt").Synthesize(text), 120, -10));
                }
            }

            cases.Add(Make("interrupt jfk", InterruptionKind.Interruption, path, agent, TestAudio.Jfk16k()[..(16_000 * 3)], -1, 0));
            foreach (string text in Backchannels)
            {
                var clip = BackchannelPhones.TryGetValue(text, out string? phones)
                    ? TurnCorpusVoice.Flite("slt").SynthesizePhones(phones)
                    : TurnCorpusVoice.Flite("slt").Synthesize(text);
                cases.Add(Make($"backchannel '{text}'", InterruptionKind.Backchannel, path, agent, clip, -1, 0));
                if (echoUnderSounds)
                {
                    cases.Add(Make($"backchannel '{text}' over echo", InterruptionKind.Backchannel, path, agent, clip, 120, -10));
                }
            }

            foreach (var (name, synth) in Noises)
            {
                cases.Add(Make($"noise {name}", InterruptionKind.Noise, path, agent, SoxClip(name, synth), -1, 0));
            }

            foreach (int delay in EchoDelaysMs)
            {
                foreach (double level in EchoLevelsDb)
                {
                    cases.Add(Make(string.Create(CultureInfo.InvariantCulture, $"echo {delay} ms {level} dB"), InterruptionKind.Echo, path, agent, [], delay, level));
                }
            }
        }

        return cases;
    }

    /// <summary>Builds one case: everything mixed at 16 kHz, then carried over <paramref name="path"/>.</summary>
    public static InterruptionCase Make(string name, InterruptionKind truth, InterruptionPath path, short[] agent16k, short[] sound16k,
        int echoDelayMs, double echoLevelDb)
    {
        int rate = path == InterruptionPath.Telephone8kG711 ? 8000 : 48_000;
        // The agent's audio as sent on the path (companded on a phone line).
        short[] outgoing = ToPath(agent16k, rate, path);
        var mic = new short[TotalMs * rate / 1000];
        if (echoDelayMs >= 0)
        {
            double gain = Math.Pow(10, echoLevelDb / 20);
            int offset = (int)((AgentStartMs + echoDelayMs) * rate / 1000);
            for (int i = 0; i < outgoing.Length && offset + i < mic.Length; i++)
            {
                mic[offset + i] = (short)Math.Round(outgoing[i] * gain);
            }
        }

        if (sound16k.Length > 0)
        {
            short[] sound = TestAudio.Resample(sound16k, 16_000, rate);
            int offset = (int)(SoundOnsetMs * rate / 1000);
            for (int i = 0; i < sound.Length && offset + i < mic.Length; i++)
            {
                mic[offset + i] = (short)Math.Clamp(mic[offset + i] + sound[i], short.MinValue, short.MaxValue);
            }
        }

        var random = new Random(StableHash(name) ^ rate);
        for (int i = 0; i < mic.Length; i++)
        {
            mic[i] = (short)Math.Clamp(mic[i] + random.Next(-NoisePeak, NoisePeak + 1), short.MinValue, short.MaxValue);
        }

        if (path == InterruptionPath.Telephone8kG711)
        {
            mic = G711RoundTrip(mic);
        }

        string label = path == InterruptionPath.Telephone8kG711 ? "g711-8k" : "pcm-48k";
        return new InterruptionCase($"{name} [{label}]", truth, path, rate, outgoing, AgentStartMs, mic,
            sound16k.Length > 0 ? SoundOnsetMs : -1, echoDelayMs, echoLevelDb);
    }

    private static short[] ToPath(short[] pcm16k, int rate, InterruptionPath path)
    {
        short[] converted = TestAudio.Resample(pcm16k, 16_000, rate);
        return path == InterruptionPath.Telephone8kG711 ? G711RoundTrip(converted) : converted;
    }

    /// <summary>Encodes to µ-law and back with the server's own codec (src/Rtc/Codecs/G711).</summary>
    public static short[] G711RoundTrip(short[] pcm)
    {
        var coded = new byte[pcm.Length];
        G711.MuLawEncode(pcm, coded);
        var decoded = new short[pcm.Length];
        G711.MuLawDecode(coded, decoded);
        return decoded;
    }

    /// <summary>FNV-1a: string.GetHashCode is randomised per process, the corpus must not be.</summary>
    private static int StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash & 0x7fffffff);
    }

    /// <summary>A sox-synthesised noise clip at 16 kHz, cached.</summary>
    public static short[] SoxClip(string name, string[] synth)
    {
        string dir = Path.Combine(Path.GetTempPath(), "mediaserver-interruption-corpus");
        Directory.CreateDirectory(dir);
        string cached = Path.Combine(dir, $"{name}-{StableHash(string.Join('_', synth)):x8}.wav");
        if (!File.Exists(cached))
        {
            string temp = cached + "." + Guid.NewGuid().ToString("N") + ".wav";
            ToolProcess.Run("sox", ["-q", "-n", "-r", "16000", "-b", "16", "-c", "1", "-e", "signed-integer", temp, .. synth]);
            File.Move(temp, cached, overwrite: true);
        }

        return TestAudio.ReadWav(cached, out _);
    }
}

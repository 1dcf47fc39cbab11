using System.Diagnostics;
using System.Globalization;
using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Interruptions;
using MediaServer.Pipeline.Turns;
using MediaServer.Pipeline.Vad;
using MediaServer.Rtc.Codecs;

namespace MediaServer.Benchmarks.Pipeline;

/// <summary>
/// Interruption start to silence on the outgoing track, in media time, over a simulated call: the agent's audio is
/// queued on an outgoing track that sends one 20 ms frame per tick (as a call leg paced by the media clock does);
/// the microphone hears the agent's echo (120 ms, -10 dB) and, 1.5 s in, the user's sentence. Each tick the input
/// frame goes through Silero + energy VAD, server_vad and the barge-in detector; when it decides, the queue is
/// cleared, so the next outgoing frame is silence. Reported per path (8 kHz G.711 both ways, 48 kHz) and sentence:
/// the media-time latency (first silent outgoing frame minus the sentence's first sample) and the wall time spent
/// on the deciding frame. No recogniser: the duration rule decides (the word rule can only make it earlier).
/// Run: <c>dotnet run -c Release --project bench/Benchmarks -- bargein-latency [models dir]</c>.
/// </summary>
internal static class BargeInLatencyDriver
{
    private static readonly string[] Sentences =
    [
        "wait stop I have a question",
        "no that is not what I asked for",
        "hold on can you repeat the last part",
        "excuse me I need to leave now",
        "actually let me tell you something",
    ];

    public static void Run(string[] args)
    {
        string models = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("MEDIASERVER_SHARED_MODELS") ?? "/work/shared/models";
        using var model = new SileroVadModel(System.IO.Path.Combine(models, "silero-vad", "silero_vad.onnx"));
        short[] agent = Flite("kal16", string.Join(' ', Enumerable.Repeat("Your parcel left the depot this morning and the driver will call before arriving.", 2)));
        Console.WriteLine("| path | sentence | interruption start to silence (media ms) | deciding frame (µs) |");
        Console.WriteLine("|---|---|---|---|");
        var all = new List<long>();
        foreach (int rate in new[] { 8000, 48_000 })
        {
            foreach (string sentence in Sentences)
            {
                var (latency, micros) = Measure(model, agent, Flite("slt", sentence), rate);
                all.Add(latency);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(rate == 8000 ? "G.711 8 kHz" : "48 kHz")} | {sentence} | {latency} | {micros:F0} |"));
            }
        }

        all.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median {all[all.Count / 2]} ms, max {all[^1]} ms"));
    }

    private static (long LatencyMs, double DecidingFrameMicros) Measure(SileroVadModel model, short[] agent16k, short[] user16k, int rate)
    {
        const long agentStartMs = 500, userStartMs = 2000;
        short[] agentPath = Path(Resample(agent16k, 16_000, rate), rate);
        int frame = rate / 50;
        var queue = new Queue<short[]>();
        for (int i = 0; i + frame <= agentPath.Length; i += frame)
        {
            queue.Enqueue(agentPath[i..(i + frame)]);
        }

        int totalFrames = 400;
        var sent = new short[totalFrames * frame]; // what the outgoing track sent, tick by tick
        var mic = new short[totalFrames * frame];
        short[] user = Resample(user16k, 16_000, rate);
        using var vad = CombinedVad.ForStream(model);
        var turns = new ServerVadTurnDetector();
        var detector = new BargeInDetector();
        var toPipeline = Resampler.Create(rate, 16_000);
        var converted = new short[toPipeline.MaxOutputSamples(frame)];
        int echoDelay = rate * 120 / 1000;
        long decidedTick = -1;
        double micros = 0;
        for (int tick = 0; tick < totalFrames; tick++)
        {
            long nowMs = tick * 20L;
            // Outgoing: the agent starts at 0.5 s; each tick sends one frame or silence.
            if (nowMs >= agentStartMs && queue.Count > 0)
            {
                var f = queue.Dequeue();
                if (decidedTick < 0 || tick <= decidedTick)
                {
                    f.CopyTo(sent, tick * frame);
                    detector.WriteOutgoing(f, rate, nowMs);
                }
            }

            // Microphone: echo of what was sent plus the user.
            for (int i = 0; i < frame; i++)
            {
                int t = (tick * frame) + i;
                double s = t >= echoDelay ? sent[t - echoDelay] * 0.316 : 0;
                int u = t - (int)(userStartMs * rate / 1000);
                if (u >= 0 && u < user.Length)
                {
                    s += user[u];
                }

                mic[t] = (short)Math.Clamp(s + ((t * 7919 % 41) - 20), short.MinValue, short.MaxValue);
            }

            var input = Path(mic[(tick * frame)..((tick + 1) * frame)], rate);
            int n = toPipeline.Process(input, converted);
            if (n < 320 || decidedTick >= 0)
            {
                continue;
            }

            long start = Stopwatch.GetTimestamp();
            var pcm = converted.AsSpan(0, 320);
            float p = vad.Process(pcm);
            long endMs = nowMs + 20;
            var kind = detector.ProcessFrame(pcm, p, endMs);
            var turn = turns.Process(p, endMs);
            if (turn.Kind == TurnEventKind.SpeechStarted && detector.AgentAudible(endMs))
            {
                kind = detector.BeginOnset(turn.AudioMs);
            }
            else if (turn.Kind == TurnEventKind.SpeechStopped && detector.Arbiter.Pending)
            {
                detector.EndOnset();
            }

            if (kind == InterruptionKind.Interruption)
            {
                queue.Clear(); // ClearOutput: the next tick sends silence
                detector.FlushOutgoing(endMs);
                decidedTick = tick;
                micros = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }

        if (decidedTick < 0)
        {
            return (-1, 0);
        }

        long silentFrameMs = (decidedTick + 1) * 20L;
        return (silentFrameMs - userStartMs, micros);
    }

    private static short[] Path(short[] pcm, int rate)
    {
        if (rate != 8000)
        {
            return pcm;
        }

        var coded = new byte[pcm.Length];
        G711.MuLawEncode(pcm, coded);
        var decoded = new short[pcm.Length];
        G711.MuLawDecode(coded, decoded);
        return decoded;
    }

    private static short[] Resample(short[] pcm, int from, int to)
    {
        var r = Resampler.Create(from, to);
        var output = new short[r.MaxOutputSamples(pcm.Length)];
        return output[..r.Process(pcm, output)];
    }

    /// <summary>flite speech, 16 kHz, the synthesiser's leading silence cut so the first sample is the first sound.</summary>
    private static short[] Flite(string voice, string text)
    {
        string wav = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bargein-bench-{Guid.NewGuid():N}.wav");
        try
        {
            var start = new ProcessStartInfo("flite") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "-voice", voice, "-t", text, "-o", wav })
            {
                start.ArgumentList.Add(a);
            }

            using (var process = Process.Start(start)!)
            {
                process.WaitForExit();
            }

            byte[] bytes = File.ReadAllBytes(wav);
            var samples = new short[(bytes.Length - 44) / 2];
            Buffer.BlockCopy(bytes, 44, samples, 0, samples.Length * 2);
            int first = Array.FindIndex(samples, s => Math.Abs((int)s) > 260);
            return samples[Math.Max(0, first)..];
        }
        finally
        {
            File.Delete(wav);
        }
    }
}

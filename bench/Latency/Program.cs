using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MediaServer.Latency;
using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Llm;
using MediaServer.Pipeline.Stt.Pocketsphinx;
using MediaServer.Pipeline.Tts;
using MediaServer.Pipeline.Vad;
using MediaServer.Signaling.Realtime.Session;
using Microsoft.Extensions.Logging.Abstractions;

// End of user speech -> first agent audio packet, with the embedded engines, through a real in-process session
// (WebSocket path: input_audio_buffer.append at 24 kHz, paced in real time; the first response.output_audio.delta
// handed to the sink is the first packet). Engine work is timed by decorators, so the pipeline's own share is what
// remains: commit -> STT final pass starts, STT done -> LLM request, first TTS chunk -> first packet.
// Usage: dotnet run -c Release --project bench/Latency -- [turns per mode, default 8] [final pass: None|Lattice|Full, default the option's]
// Or: dotnet run -c Release --project bench/Latency -- final-pass (what each final pass costs and gets right).
if (args is ["final-pass", ..])
{
    FinalPassComparison.Run(SharedModels(), Flite16k);
    return;
}

int turns = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
var sttOptions = new PocketsphinxOptions();
if (args.Length > 1)
{
    sttOptions.FinalPass = Enum.Parse<PocketsphinxFinalPass>(args[1], ignoreCase: true);
}

string models = SharedModels();
var marks = new EngineMarks();
using var stt = new PocketsphinxSpeechToText(sttOptions);
// As the server does at start (EngineOptions.WarmUp): the first turn does not build a decoder.
stt.WarmUp();
using var silero = new SileroVadModel(Path.Combine(models, "silero-vad", "silero_vad.onnx"));
using var chat = new ChatClientProvider(new LlmOptions());
var engines = new RealtimeEngines(new TimedSpeechToText(stt, marks), new TimedTextToSpeech(new TextToSpeechRegistry(), marks),
    new TimedChatClients(chat, marks), () => CombinedVad.ForStream(silero));

string[] sentences =
[
    "What time does the pharmacy close today?",
    "Can you book a table for two at seven?",
    "I would like to cancel my subscription.",
    "Please tell me a short joke.",
];
var speech = sentences.Select(s => Flite(s)).ToArray();

var report = new StringBuilder();
report.AppendLine("| turn detection | turns | end-of-turn wait | STT final pass | thread-pool wait at commit | LLM to first speakable text | TTS first audio | pipeline's own share | end of speech to first packet |");
report.AppendLine("|---|---|---|---|---|---|---|---|---|");
string loadBefore = File.ReadAllText("/proc/loadavg").Trim();
foreach (var (name, detection) in new (string, TurnDetectionConfig)[]
{
    ("server_vad 500 ms", new TurnDetectionConfig()),
    ("semantic_vad high", new TurnDetectionConfig { Type = "semantic_vad", Eagerness = "high" }),
    ("semantic_vad auto", new TurnDetectionConfig { Type = "semantic_vad", Eagerness = "auto" }),
})
{
    var rows = new List<double[]>();
    var sink = new RecordingSink();
    var config = new SessionConfig
    {
        Instructions = "Answer in one short sentence.",
        Transcription = new TranscriptionConfig("pocketsphinx", null, null),
        TurnDetection = detection,
    };
    using var session = new RealtimeSession(config, engines, sink, new RealtimeSessionOptions(), NullLogger.Instance);
    session.Start();
    using var clock = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
    for (int turn = 0; turn < turns + 1; turn++) // the first turn warms the engines up and is not counted
    {
        marks.Reset();
        sink.Reset();
        var pcm = speech[turn % speech.Length];
        long speechEnd = 0;
        int frame = 480; // 20 ms at 24 kHz
        long deadline = Stopwatch.GetTimestamp() + (15 * Stopwatch.Frequency);
        for (int offset = 0; sink.Done == 0 && Stopwatch.GetTimestamp() < deadline; offset += frame)
        {
            await clock.WaitForNextTickAsync();
            var chunk = offset + frame <= pcm.Length ? pcm.AsSpan(offset, frame) : new short[frame];
            session.HandleClientEvent(Append(chunk));
            if (offset + frame >= pcm.Length && speechEnd == 0)
            {
                speechEnd = Stopwatch.GetTimestamp();
            }
        }

        // Let the agent's audio "play" and the VAD settle before the next turn.
        for (int i = 0; i < 50; i++)
        {
            await clock.WaitForNextTickAsync();
            session.HandleClientEvent(Append(new short[frame]));
        }

        if (turn == 0 || sink.Committed == 0 || sink.FirstAudio == 0 || marks.TtsFirstChunk == 0 || sink.PoolProbe == 0)
        {
            continue;
        }

        double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
        double wait = Ms(speechEnd, sink.Committed);
        double sttMs = Ms(marks.SttFinalStart, marks.SttFinalEnd);
        double llm = Ms(marks.LlmRequest, marks.TtsFirstCall);
        double tts = Ms(marks.TtsFirstCall, marks.TtsFirstChunk);
        double own = Ms(sink.Committed, marks.SttFinalStart) + Ms(marks.SttFinalEnd, marks.LlmRequest) + Ms(marks.TtsFirstChunk, sink.FirstAudio);
        rows.Add([wait, sttMs, Ms(sink.Committed, sink.PoolProbe), llm, tts, own, Ms(speechEnd, sink.FirstAudio)]);
    }

    string Cell(int column)
    {
        var sorted = rows.Select(r => r[column]).Order().ToArray();
        return sorted.Length == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{sorted[sorted.Length / 2]:0} ({sorted[^1]:0})");
    }

    report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {rows.Count} | {Cell(0)} | {Cell(1)} | {Cell(2)} | {Cell(3)} | {Cell(4)} | {Cell(5)} | {Cell(6)} |");
}

Console.WriteLine($"{Environment.ProcessorCount} cores, load average (1, 5, 15 min, runnable/threads) before {loadBefore}, after {File.ReadAllText("/proc/loadavg").Trim()}; STT final pass {sttOptions.FinalPass}");
Console.WriteLine("Milliseconds, median (max) over the counted turns:");
Console.WriteLine(report);
return;

static byte[] Append(ReadOnlySpan<short> pcm24k)
{
    var bytes = new byte[pcm24k.Length * 2];
    Pcm16.ToBytes(pcm24k, bytes);
    return Encoding.UTF8.GetBytes($$"""{"type":"input_audio_buffer.append","audio":"{{Convert.ToBase64String(bytes)}}"}""");
}

static short[] Flite(string text)
{
    var pcm16k = Flite16k(text, "slt");
    var resampler = Resampler.Create(16_000, 24_000);
    var pcm = new short[resampler.MaxOutputSamples(pcm16k.Length)];
    int n = resampler.Process(pcm16k, pcm);
    return pcm[..n];
}

static short[] Flite16k(string text, string voice)
{
    string path = Path.Combine(Path.GetTempPath(), $"latency-{Guid.NewGuid():N}.wav");
    var start = new ProcessStartInfo("flite") { RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (string a in new[] { "-voice", voice, "-t", text, "-o", path })
    {
        start.ArgumentList.Add(a);
    }

    using (var process = Process.Start(start)!)
    {
        process.WaitForExit();
    }

    byte[] file = File.ReadAllBytes(path);
    File.Delete(path);
    int data = 12;
    while (Encoding.ASCII.GetString(file, data, 4) != "data")
    {
        data += 8 + BitConverter.ToInt32(file, data + 4);
    }

    var pcm16k = new short[BitConverter.ToInt32(file, data + 4) / 2];
    Pcm16.ToShorts(file.AsSpan(data + 8, pcm16k.Length * 2), pcm16k);
    // flite pads with silence: cut it so the last sample appended is the true end of speech.
    int end = pcm16k.Length;
    while (end > 0 && Math.Abs((int)pcm16k[end - 1]) < 260)
    {
        end--;
    }

    return pcm16k[..end];
}

static string SharedModels()
{
    string? env = Environment.GetEnvironmentVariable("MEDIASERVER_SHARED_MODELS");
    if (!string.IsNullOrEmpty(env))
    {
        return env;
    }

    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "MediaServer.sln")))
        {
            return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "models"));
        }
    }

    return Path.GetFullPath(Path.Combine(Directory.GetCurrentDirectory(), "..", "shared", "models"));
}

/// <summary>Timestamps the events that mark the turn: the commit, the first audio delta, the response's end.</summary>
internal sealed class RecordingSink : IRealtimeEventSink
{
    public long Committed;
    public long FirstAudio;
    public long Done;

    /// <summary>When a work item queued at the commit started: how long the end of turn's hops wait for a pool thread.</summary>
    public long PoolProbe;

    public void Reset() => Committed = FirstAudio = Done = PoolProbe = 0;

    public void Send(byte[] utf8Json)
    {
        long now = Stopwatch.GetTimestamp();
        var reader = new Utf8JsonReader(utf8Json);
        string? type = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("type") && reader.CurrentDepth == 1 && reader.Read())
            {
                type = reader.GetString();
                break;
            }
        }

        switch (type)
        {
            case "input_audio_buffer.committed" when Committed == 0:
                Committed = now;
                ThreadPool.UnsafeQueueUserWorkItem(static sink => sink.PoolProbe = Stopwatch.GetTimestamp(), this, preferLocal: false);
                break;
            case "response.output_audio.delta" when FirstAudio == 0:
                FirstAudio = now;
                break;
            case "response.done" when Done == 0:
                Done = now;
                break;
        }
    }
}

using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Turns;
using MediaServer.Pipeline.Vad;

namespace MediaServer.Benchmarks.Pipeline;

/// <summary>
/// The inbound per-frame path of a call, one 20 ms frame per operation: resampling to the 16 kHz pipeline rate,
/// the energy VAD, Silero (which runs one 32 ms window every 1.6 frames on average, so it is measured over 8 frames
/// = 5 windows and reported per frame), and the whole path (48 kHz Opus-rate input, resample, energy + Silero, turn
/// detector). Allocations must read zero.
/// </summary>
[MemoryDiagnoser]
public class FramePathBenchmarks
{
    private const int FramesPerSileroRun = 8;

    private readonly short[] _frame48k = Tone(48_000, 960);
    private readonly short[] _frame24k = Tone(24_000, 480);
    private readonly short[] _frame16k = Tone(16_000, 320);
    private readonly short[] _frame8k = Tone(8_000, 160);
    private readonly short[] _out48k = new short[1000];
    private readonly short[] _frames16k = Tone(16_000, 320 * FramesPerSileroRun);
    private readonly short[] _frames48k = Tone(48_000, 960 * FramesPerSileroRun);
    private readonly short[] _out16k = new short[400];

    private IResampler _from48k = null!;
    private IResampler _from24k = null!;
    private IResampler _from8k = null!;
    private IResampler _to48k = null!;
    private EnergyVad _energy = null!;
    private NoiseSuppressor _suppressor = null!;
    private SileroVadModel _model = null!;
    private SileroVad _silero = null!;
    private IResampler _pathResampler = null!;
    private CombinedVad _combined = null!;
    private ServerVadTurnDetector _turns = null!;
    private long _timelineMs;

    [GlobalSetup]
    public void Setup()
    {
        _from48k = Resampler.Create(48_000, 16_000);
        _from24k = Resampler.Create(24_000, 16_000);
        _from8k = Resampler.Create(8_000, 16_000);
        _to48k = Resampler.Create(16_000, 48_000);
        _energy = new EnergyVad();
        _suppressor = new NoiseSuppressor(NoiseSuppressionProfile.FarField);
        _model = new SileroVadModel(ModelPath());
        _silero = _model.CreateStream();
        _pathResampler = Resampler.Create(48_000, 16_000);
        _combined = new CombinedVad(new EnergyVad(), _model.CreateStream());
        _turns = new ServerVadTurnDetector();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _silero.Dispose();
        _combined.Dispose();
        _energy.Dispose();
        _model.Dispose();
    }

    [Benchmark(Description = "Resample 48k->16k (960 -> 320 samples)")]
    public int Resample48kTo16k() => _from48k.Process(_frame48k, _out16k);

    [Benchmark(Description = "Resample 24k->16k (480 -> 320 samples)")]
    public int Resample24kTo16k() => _from24k.Process(_frame24k, _out16k);

    [Benchmark(Description = "Resample 8k->16k (160 -> 320 samples, SIP in)")]
    public int Resample8kTo16k() => _from8k.Process(_frame8k, _out16k);

    [Benchmark(Description = "Resample 16k->48k (320 -> 960 samples, Opus out)")]
    public int Resample16kTo48k() => _to48k.Process(_frame16k, _out48k);

    [Benchmark(Description = "Noise suppressor (320 samples, optional)")]
    public short NoiseSuppressor()
    {
        _suppressor.Process(_frame16k, _out16k.AsSpan(0, 320));
        return _out16k[0];
    }

    [Benchmark(Description = "Energy VAD (320 samples)")]
    public float EnergyVad() => _energy.Process(_frame16k);

    [Benchmark(Description = "Silero VAD (per 20 ms frame)", OperationsPerInvoke = FramesPerSileroRun)]
    public float SileroVad()
    {
        float p = 0;
        for (int i = 0; i < FramesPerSileroRun; i++)
        {
            p = _silero.Process(_frames16k.AsSpan(i * 320, 320));
        }

        return p;
    }

    [Benchmark(Description = "Frame path 48k: resample + energy + Silero + turns", OperationsPerInvoke = FramesPerSileroRun)]
    public TurnEvent FramePath()
    {
        TurnEvent last = default;
        for (int i = 0; i < FramesPerSileroRun; i++)
        {
            int n = _pathResampler.Process(_frames48k.AsSpan(i * 960, 960), _out16k);
            float p = _combined.Process(_out16k.AsSpan(0, n));
            last = _turns.Process(p, _timelineMs += 20);
        }

        return last;
    }

    /// <summary>A voiced-speech-like test signal: 150 Hz with harmonics and some noise, around -20 dBFS.</summary>
    private static short[] Tone(int rate, int count)
    {
        var random = new Random(1);
        var samples = new short[count];
        for (int i = 0; i < count; i++)
        {
            double x = 0;
            for (int h = 1; h <= 8; h++)
            {
                x += Math.Sin(2 * Math.PI * 150 * h * i / rate) / h;
            }

            samples[i] = (short)((x * 1500) + (random.NextDouble() * 200) - 100);
        }

        return samples;
    }

    /// <summary>The shared Silero model: env MEDIASERVER_SHARED_MODELS, else ../shared/models beside the solution.</summary>
    private static string ModelPath()
    {
        string? root = Environment.GetEnvironmentVariable("MEDIASERVER_SHARED_MODELS");
        if (string.IsNullOrEmpty(root))
        {
            for (var dir = new DirectoryInfo(Path.GetDirectoryName(SourcePath())!); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MediaServer.sln")))
                {
                    root = Path.Combine(dir.FullName, "..", "shared", "models");
                    break;
                }
            }
        }

        return Path.GetFullPath(Path.Combine(root ?? ".", "silero-vad", "silero_vad.onnx"));
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}

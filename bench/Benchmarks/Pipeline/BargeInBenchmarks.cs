using BenchmarkDotNet.Attributes;
using MediaServer.Pipeline.Interruptions;

namespace MediaServer.Benchmarks.Pipeline;

/// <summary>
/// Per-frame cost of barge-in judging, one 20 ms frame per operation: with the agent silent (one comparison), with
/// the agent talking and its echo tracked (fine correlation, YIN, arbiter), and a user talking over the agent (no
/// echo to lock on, so the full delay search, two 16k-point FFTs, runs every 5th frame: the worst case). Allocations must read zero.
/// </summary>
[MemoryDiagnoser]
public class BargeInBenchmarks
{
    private const int Frames = 400;
    private readonly short[] _agent = SpeechLike(10, 1);
    private short[] _echo = null!;
    private BargeInDetector _silent = null!;
    private BargeInDetector _talking = null!;
    private readonly short[] _user = SpeechLike(10, 2);
    private BargeInDetector _overTalk = null!;
    private int _userFrame;
    private int _frame;
    private long _talkingMs;

    [GlobalSetup]
    public void Setup()
    {
        _echo = new short[_agent.Length];
        int delay = 16 * 120;
        for (int i = 0; i + delay < _echo.Length; i++)
        {
            _echo[i + delay] = (short)(_agent[i] * 0.316);
        }

        _silent = new BargeInDetector();
        _talking = new BargeInDetector();
        _talking.WriteOutgoing(_agent, 16_000, 0);
        _overTalk = new BargeInDetector();
        _overTalk.WriteOutgoing(_agent, 16_000, 0);
        // Lock the echo delay first.
        for (int f = 0; f < 50; f++)
        {
            _talkingMs = (f + 1) * 20;
            _talking.ProcessFrame(_echo.AsSpan(f * 320, 320), 0.9f, _talkingMs);
        }
    }

    [Benchmark(Description = "agent silent")]
    public InterruptionKind AgentSilent() => _silent.ProcessFrame(_echo.AsSpan(320 * 100, 320), 0.9f, 2000);

    [Benchmark(Description = "agent talking, echo tracked")]
    public InterruptionKind EchoTracked()
    {
        int f = 50 + (_frame++ % Frames);
        return _talking.ProcessFrame(_echo.AsSpan(f * 320, 320), 0.9f, (f + 1) * 20L);
    }

    [Benchmark(Description = "agent talking, user talking (delay search every 5th frame)")]
    public InterruptionKind UserOverAgent()
    {
        int f = 50 + (_userFrame++ % Frames);
        return _overTalk.ProcessFrame(_user.AsSpan(f * 320, 320), 0.9f, (f + 1) * 20L);
    }

    internal static short[] SpeechLike(int seconds, int seed)
    {
        var random = new Random(seed);
        var x = new short[16_000 * seconds];
        double lp = 0;
        for (int i = 0; i < x.Length; i++)
        {
            lp = (0.7 * lp) + (0.3 * ((random.NextDouble() * 2) - 1));
            double envelope = 0.5 + (0.5 * Math.Sin(2 * Math.PI * 4 * i / 16_000));
            x[i] = (short)(18_000 * envelope * lp);
        }

        return x;
    }
}

using System.Globalization;

namespace MediaServer.Load;

/// <summary>
/// Command line of the load driver. Every run targets a server it starts itself on 127.0.0.1; there is no option to
/// aim it elsewhere, so it cannot load anything but this machine's loopback.
/// </summary>
public sealed record LoadOptions
{
    /// <summary>Transports to ramp: <c>ws</c>, <c>sip</c>, <c>webrtc</c>.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = ["ws", "sip", "webrtc"];

    /// <summary>Engine kinds: <c>embedded</c> (pocketsphinx, flite, offline LLM) and <c>stub</c> (media cost only).</summary>
    public IReadOnlyList<string> Engines { get; init; } = ["stub", "embedded"];

    /// <summary>Concurrency steps; the ramp stops at the first failing one.</summary>
    public IReadOnlyList<int> Steps { get; init; } = [1, 2, 4, 8, 16, 32, 64];

    /// <summary>Measured seconds per step (after the calls are up).</summary>
    public int StepSeconds { get; init; } = 30;

    /// <summary>Soak length; zero runs the ramp instead.</summary>
    public TimeSpan Soak { get; init; }

    /// <summary>Calls kept alive during the soak.</summary>
    public int SoakCalls { get; init; } = 4;

    /// <summary>
    /// Keep ramping past missed frames and errors while every call is up and p99 stays under 20 ms (on a shared,
    /// busy machine a single scheduling stall misses a frame at any N; this shows where the delay itself breaks).
    /// </summary>
    public bool P99Only { get; init; }

    /// <summary>Markdown report written here (and printed).</summary>
    public string Output { get; init; } = "load-report.md";

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LoadOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--scenario":
                    o = o with { Scenarios = Split(value) };
                    break;
                case "--engine":
                    o = o with { Engines = Split(value) };
                    break;
                case "--steps":
                    o = o with { Steps = Split(value).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() };
                    break;
                case "--step-seconds":
                    o = o with { StepSeconds = int.Parse(value, CultureInfo.InvariantCulture) };
                    break;
                case "--soak":
                    o = o with { Soak = ParseDuration(value) };
                    break;
                case "--soak-calls":
                    o = o with { SoakCalls = int.Parse(value, CultureInfo.InvariantCulture) };
                    break;
                case "--bar":
                    o = o with { P99Only = value == "p99" ? true : value == "full" ? false : throw new ArgumentException("--bar p99 or full") };
                    break;
                case "--out":
                    o = o with { Output = value };
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}");
            }

            i++;
        }

        foreach (var s in o.Scenarios)
        {
            if (s is not ("ws" or "sip" or "webrtc"))
            {
                throw new ArgumentException($"Unknown scenario {s} (ws, sip, webrtc)");
            }
        }

        foreach (var e in o.Engines)
        {
            if (e is not ("embedded" or "stub"))
            {
                throw new ArgumentException($"Unknown engine kind {e} (embedded, stub)");
            }
        }

        return o;
    }

    /// <summary><c>30m</c>, <c>90s</c>, <c>1h</c>.</summary>
    public static TimeSpan ParseDuration(string value)
    {
        double n = double.Parse(value[..^1], CultureInfo.InvariantCulture);
        return value[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            _ => throw new ArgumentException($"Duration {value}: use s, m or h"),
        };
    }

    private static string[] Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

using System.Globalization;
using System.Text;

namespace MediaServer.Load;

/// <summary>
/// The load driver of issue #10. Ramp (default): for each transport and engine kind, start a fresh server on
/// loopback and raise the number of concurrent calls step by step until a step fails the bar (p99 frame delay
/// under 20 ms, no frame missed, every call up, no error); print and write the tables. Soak (<c>--soak 30m</c>):
/// calls coming and going for the given time; report memory, heap, threads and handles over time and whether
/// calls' endings disturbed the others. Stops by itself.
/// </summary>
public static class LoadProgram
{
    public static async Task<int> Main(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync(ex.Message + "\nUsage: MediaServer.Load [--scenario ws,sip,webrtc] [--engine stub,embedded] [--steps 1,2,4] [--step-seconds 30] [--soak 30m --soak-calls 8] [--out report.md]");
            return 2;
        }

        var report = await RunAsync(options, line => Console.WriteLine(line));
        await File.WriteAllTextAsync(options.Output, report);
        Console.WriteLine();
        Console.WriteLine(report);
        return 0;
    }

    public static async Task<string> RunAsync(LoadOptions options, Action<string> log)
    {
        var clip = await SpeechClip.CreateAsync();
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Load driver run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores"));
        sb.AppendLine();
        if (options.Soak > TimeSpan.Zero)
        {
            // The soak runs on the embedded engines unless one engine kind is named.
            await using var server = await ServerUnderTest.StartAsync(options.Engines.Count == 1 ? options.Engines[0] : "embedded");
            sb.Append(await Soak.RunAsync(server, clip, options.Soak, options.SoakCalls, log));
            return sb.ToString();
        }

        var results = new List<StepResult>();
        log(Report.Header);
        foreach (var engine in options.Engines)
        {
            foreach (var scenario in options.Scenarios)
            {
                await using var server = await ServerUnderTest.StartAsync(engine);
                foreach (int n in options.Steps)
                {
                    var result = await StepRunner.RunAsync(server, scenario, engine, n, TimeSpan.FromSeconds(options.StepSeconds), () => scenario switch
                    {
                        "ws" => new WebSocketLoad(server, clip),
                        "sip" => new SipLoad(server, clip),
                        _ => new WebRtcLoad(server, clip),
                    }, log);
                    results.Add(result);
                    if (options.P99Only ? result.Live < n || !(result.FrameP99Ms < 20) : !result.Pass)
                    {
                        break;
                    }
                }
            }
        }

        sb.AppendLine(Report.Summary(results));
        sb.AppendLine(Report.Header);
        foreach (var r in results)
        {
            sb.AppendLine(Report.Row(r));
        }

        return sb.ToString();
    }
}

namespace MediaServer.Load;

/// <summary>
/// Runs one step: waits until the server is idle, starts N calls, lets them come up, then measures a window from
/// the server's side (its <c>/metrics</c> and <c>/proc</c>) and ends the calls.
/// </summary>
public static class StepRunner
{
    /// <summary>Frames later than this count as missed: past what a receiver's jitter buffer (typically 40–60 ms) hides.</summary>
    public const double MissedMs = 50;

    public static string DelayMetric(string scenario) => scenario == "ws" ? "mediaserver_websocket_audio_delay" : "mediaserver_media_tick_delay";

    public static async Task<StepResult> RunAsync(ServerUnderTest server, string scenario, string engine, int calls, TimeSpan window,
        Func<ILoadGenerator> create, Action<string> log)
    {
        await server.WaitIdleAsync(TimeSpan.FromSeconds(60));
        var idle = server.Sample();
        TimeSpan warmUp = scenario switch
        {
            "sip" => TimeSpan.FromSeconds(4 + (calls / Math.Max(5.0, calls / 2.0))),
            "webrtc" => TimeSpan.FromSeconds(6 + (calls * 0.15)),
            _ => TimeSpan.FromSeconds(3 + (calls * 0.05)),
        };
        await using var load = create();
        await load.StartAsync(calls, warmUp + window + TimeSpan.FromSeconds(3));
        var deadline = DateTime.UtcNow + warmUp + TimeSpan.FromSeconds(20);
        await Task.Delay(warmUp);
        int live = await server.LiveAsync();
        while (live < calls && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            live = await server.LiveAsync();
        }

        var m1 = await server.ScrapeAsync();
        var p1 = server.Sample();
        await Task.Delay(window);
        var m2 = await server.ScrapeAsync();
        var p2 = server.Sample();
        live = Math.Min(live, await server.LiveAsync());
        var client = await load.StopAsync();

        string delay = DelayMetric(scenario);
        var frames = new HistogramWindow(m1, m2, delay);
        var turns = new HistogramWindow(m1, m2, "mediaserver_turn_latency");
        double skipped = m2.Sum("mediaserver_media_ticks_skipped") - m1.Sum("mediaserver_media_ticks_skipped");
        double seconds = (p2.At - p1.At).TotalSeconds;
        var result = new StepResult(scenario, engine, calls, live,
            CpuPerCallPercent: (p2.CpuSeconds - p1.CpuSeconds) / seconds * 100 / calls,
            RssPerCallMb: (p2.RssBytes - idle.RssBytes) / 1048576.0 / calls,
            FrameP50Ms: frames.Quantile(0.5),
            FrameP99Ms: frames.Quantile(0.99),
            Frames: frames.Count,
            LateFrames: frames.Above(20),
            MissedFrames: frames.Above(MissedMs) + (scenario == "ws" ? 0 : skipped),
            TurnP50Ms: turns.Quantile(0.5),
            TurnP99Ms: turns.Quantile(0.99),
            Turns: turns.Count,
            Answers: client.Answers,
            Errors: client.Errors,
            DriverLateFrames: client.DriverLateFrames,
            Note: client.Note);
        log(Report.Row(result));
        return result;
    }
}

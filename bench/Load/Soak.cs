using System.Globalization;
using System.Text;

namespace MediaServer.Load;

/// <summary>
/// Calls coming and going for a long time: K WebSocket sessions, SIPp calls and WebRTC calls kept up, each lasting a
/// uniformly random 20–90 s and replaced when it ends. Every 30 s the server's memory, GC heap, threads and handles
/// are sampled (their trend over the run is the leak test); every 5 s the frame delay histograms are read and the
/// window is marked when a call ended in it, so frames late in windows with an ending, against windows without, show
/// whether one call's end disturbs the others.
/// </summary>
public static class Soak
{
    private const int MinSeconds = 20;
    private const int MaxSeconds = 90;

    public static async Task<string> RunAsync(ServerUnderTest server, SpeechClip clip, TimeSpan duration, int calls, Action<string> log)
    {
        int sip = calls / 3, webrtc = calls / 3, ws = calls - sip - webrtc;
        log($"soak: {duration.TotalMinutes:F0} min, {ws} WebSocket + {sip} SIP + {webrtc} WebRTC calls, each {MinSeconds}-{MaxSeconds} s");
        await using var wsLoad = new WebSocketLoad(server, clip);
        await using var sipLoad = new SipLoad(server, clip, soak: true, MinSeconds, MaxSeconds);
        await using var rtcLoad = new WebRtcLoad(server, clip, MinSeconds, MaxSeconds);
        if (sip > 0)
        {
            await sipLoad.StartAsync(sip, duration);
        }

        if (webrtc > 0)
        {
            await rtcLoad.StartAsync(webrtc, duration + TimeSpan.FromSeconds(30));
        }

        using var stop = new CancellationTokenSource(duration);
        int wsEnds = 0;
        var wsChurn = Enumerable.Range(0, ws).Select(i => Task.Run(async () =>
        {
            await Task.Delay(i * 700);
            while (!stop.IsCancellationRequested)
            {
                var handle = await wsLoad.OpenAsync();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(MinSeconds + (Random.Shared.NextDouble() * (MaxSeconds - MinSeconds))), stop.Token);
                }
                catch (OperationCanceledException)
                {
                }

                if (handle is not null)
                {
                    await wsLoad.CloseAsync(handle);
                    Interlocked.Increment(ref wsEnds);
                }
            }
        })).ToArray();

        var samples = new List<(TimeSpan At, ProcessSample P, double Heap, int Live)>();
        var loads = new List<double>();
        var windows = new List<(bool Ended, double Frames, double Late, double Missed)>();
        var start = DateTime.UtcNow;
        var previous = await server.ScrapeAsync();
        int lastLive = await server.LiveAsync();
        var nextSample = TimeSpan.Zero;
        int probesFailed = 0;
        while (!stop.IsCancellationRequested)
        {
            bool ended = false;
            int wsEndsBefore = Volatile.Read(ref wsEnds);
            for (int i = 0; i < 5 && !stop.IsCancellationRequested; i++)
            {
                await Task.Delay(1000);
                if (await Probe(server.LiveAsync) is not { } live)
                {
                    probesFailed++;
                    continue;
                }

                ended |= live < lastLive;
                lastLive = live;
            }

            ended |= Volatile.Read(ref wsEnds) != wsEndsBefore;
            // A probe that times out (a stalled machine, a dump being taken) loses its window, not the whole soak.
            if (await Probe(server.ScrapeAsync) is not { } now)
            {
                probesFailed++;
                continue;
            }

            double frames = 0, late = 0, missed = 0;
            foreach (var scenario in new[] { "ws", "sip" })
            {
                var h = new HistogramWindow(previous, now, StepRunner.DelayMetric(scenario));
                frames += h.Count;
                late += h.Above(20);
                missed += h.Above(StepRunner.MissedMs);
            }

            missed += now.Sum("mediaserver_media_ticks_skipped") - previous.Sum("mediaserver_media_ticks_skipped");
            windows.Add((ended, frames, late, missed));
            previous = now;
            var at = DateTime.UtcNow - start;
            if (at >= nextSample)
            {
                var p = server.Sample();
                samples.Add((at, p, now.Sum("dotnet_gc_last_collection_heap_size"), lastLive));
                loads.Add(LoadAverage());
                log(string.Create(CultureInfo.InvariantCulture,
                    $"soak {at:hh\\:mm\\:ss} live {lastLive} rss {p.RssBytes / 1048576.0:F0} MB heap {samples[^1].Heap / 1048576.0:F1} MB threads {p.Threads} handles {p.Handles} cpu {p.CpuSeconds:F0} s load {loads[^1]:F1} pool threads {now.Sum("dotnet_thread_pool_thread_count"):F0} decoders {now.Sum("mediaserver_stt_decoders"):F0} waiting {now.Sum("mediaserver_stt_waiting"):F0} shed {now.Sum("mediaserver_stt_shed"):F0}"));
                nextSample += TimeSpan.FromSeconds(30);
            }
        }

        await Task.WhenAll(wsChurn);
        var wsReport = await wsLoad.StopAsync();
        var sipReport = sip > 0 ? await sipLoad.StopAsync() : null;
        var rtcReport = webrtc > 0 ? await rtcLoad.StopAsync() : null;
        if (probesFailed > 0)
        {
            log($"soak: {probesFailed} probes of /healthz or /metrics failed or timed out (10 s); their windows are left out");
        }

        // Utterances the recogniser refused after waiting DecoderWaitSeconds for a decoder: turns that got no
        // transcript, so the report counts them beside the clients' own errors.
        double refused = previous.Sum("mediaserver_stt_shed");
        var report = Describe(samples, windows, duration, ws, sip, webrtc, wsEnds, wsReport, rtcReport, refused);
        // The machine is shared: how busy it was says how much of the frame delay is this server's.
        return loads.Count == 0 ? report : report + string.Create(CultureInfo.InvariantCulture,
            $"\nMachine load average (1 min) at the samples: min {loads.Min():F1}, median {loads.Order().ElementAt(loads.Count / 2):F1}, max {loads.Max():F1}.\n");
    }

    /// <summary>The 1-minute load average from <c>/proc/loadavg</c>.</summary>
    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>The probe's answer, or null when the server did not answer it in time.</summary>
    private static async Task<T?> Probe<T>(Func<Task<T>> probe)
        where T : struct
    {
        try
        {
            return await probe();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<MetricsSnapshot?> Probe(Func<Task<MetricsSnapshot>> probe)
    {
        try
        {
            return await probe();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static string Describe(List<(TimeSpan At, ProcessSample P, double Heap, int Live)> samples,
        List<(bool Ended, double Frames, double Late, double Missed)> windows, TimeSpan duration, int ws, int sip, int webrtc, int wsEnds,
        ClientReport wsReport, ClientReport? rtcReport, double refused)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(inv, $"Soak: {duration.TotalMinutes:F0} min, {ws} WebSocket + {sip} SIP (SIPp) + {webrtc} WebRTC calls kept up, each lasting {MinSeconds}-{MaxSeconds} s; {wsEnds} WebSocket sessions ended and were replaced; WebSocket answers {wsReport.Answers}, errors {wsReport.Errors}; WebRTC answers {rtcReport?.Answers ?? 0}, errors {rtcReport?.Errors ?? 0}{(rtcReport is { Note.Length: > 0 } ? " (" + rtcReport.Note + ")" : "")}; utterances the recogniser refused (no decoder free in time) {refused:F0}."));
        sb.AppendLine();
        // The first two minutes fill caches, pools and JIT: the trend is taken after them.
        var steady = samples.Where(s => s.At >= TimeSpan.FromMinutes(2)).ToList();
        if (steady.Count < 2)
        {
            steady = samples;
        }

        sb.AppendLine("| measure | first | last | max | trend after 2 min (per hour) |");
        sb.AppendLine("|---|---|---|---|---|");
        Line(sb, "RSS (MB)", steady, s => s.P.RssBytes / 1048576.0, samples);
        Line(sb, "GC heap after last GC (MB)", steady, s => s.Heap / 1048576.0, samples);
        Line(sb, "threads", steady, s => s.P.Threads, samples);
        Line(sb, "handles (open fds)", steady, s => s.P.Handles, samples);
        Line(sb, "live calls", steady, s => s.Live, samples);
        sb.AppendLine();
        var withEnd = windows.Where(w => w.Ended).ToList();
        var without = windows.Where(w => !w.Ended).ToList();
        sb.AppendLine("| 5 s windows | count | frames | late >20 ms | missed | late share |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, set) in new[] { ("with a call ending", withEnd), ("without", without) })
        {
            double frames = set.Sum(w => w.Frames), late = set.Sum(w => w.Late), missed = set.Sum(w => w.Missed);
            sb.AppendLine(string.Create(inv, $"| {name} | {set.Count} | {frames:F0} | {late:F0} | {missed:F0} | {(frames > 0 ? late / frames * 100 : 0):F3} % |"));
        }

        sb.AppendLine();
        sb.AppendLine("Samples every 30 s (time, live calls, RSS MB, heap MB, threads, handles):");
        sb.AppendLine();
        sb.AppendLine("```");
        foreach (var s in samples)
        {
            sb.AppendLine(string.Create(inv, $"{s.At:hh\\:mm\\:ss} {s.Live,3} {s.P.RssBytes / 1048576.0,7:F1} {s.Heap / 1048576.0,7:F1} {s.P.Threads,4} {s.P.Handles,5}"));
        }

        sb.AppendLine("```");
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string name, List<(TimeSpan At, ProcessSample P, double Heap, int Live)> steady,
        Func<(TimeSpan At, ProcessSample P, double Heap, int Live), double> value, List<(TimeSpan At, ProcessSample P, double Heap, int Live)> all)
    {
        if (all.Count == 0)
        {
            return;
        }

        double slope = Slope(steady.Select(s => (s.At.TotalHours, value(s))).ToList());
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {value(all[0]):F1} | {value(all[^1]):F1} | {all.Max(value):F1} | {slope:+0.0;-0.0;0.0} |"));
    }

    /// <summary>Least-squares slope of y over x.</summary>
    public static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return 0;
        }

        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        double num = points.Sum(p => (p.X - mx) * (p.Y - my)), den = points.Sum(p => (p.X - mx) * (p.X - mx));
        return den == 0 ? 0 : num / den;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MediaServer.SipBridge.Calls;
using MediaServer.Signaling.Calls;
using Xunit.Abstractions;

namespace MediaServer.SipBridge.Tests.Sipp;

/// <summary>
/// Load: SIPp holds N concurrent G.711 calls streaming speech for a while; every call must get its audio without
/// missed frames on our side. N and the duration come from SIP_LOAD_CALLS (default 20) and SIP_LOAD_SECONDS
/// (default 60). Figures (CPU and memory per call, concealed frames) are written to the test output.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SippLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SipServer _server = new(new SipOptions { Port = 0, MaxCallsPerSecondPerSource = 0 });

    public Task InitializeAsync() => _server.StartAsync(CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Concurrent_calls_with_speech_stay_clean()
    {
        int n = int.TryParse(Environment.GetEnvironmentVariable("SIP_LOAD_CALLS"), out int c) ? c : 20;
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("SIP_LOAD_SECONDS"), out int s) ? s : 60;
        var calls = new ConcurrentBag<(SipCall Call, CountingSink Sink)>();
        short[] speechChunk = AudioFixtures.Tone(440, TimeSpan.FromSeconds(1), 4000);
        _server.IncomingCall += call =>
        {
            var sink = new CountingSink();
            calls.Add((call, sink));
            _ = Task.Run(async () =>
            {
                call.Media.Start(sink);
                await call.AcceptAsync();
                while (call.State == SipCallState.Active)
                {
                    if (call.Media.QueuedOutput < TimeSpan.FromSeconds(1))
                    {
                        call.Media.EnqueueOutput(speechChunk); // agent "speaks" continuously, like a TTS stream
                    }

                    await Task.Delay(500);
                }
            });
        };

        var process = Process.GetCurrentProcess();
        GC.Collect();
        long memoryBefore = process.WorkingSet64;
        var keys = new Dictionary<string, string> { ["ulaw_file"] = AudioFixtures.UlawPath, ["call_ms"] = (seconds * 1000).ToString(CultureInfo.InvariantCulture), ["loops"] = "-1" };
        var sipp = SippRunner.RunAsync(SipTestData.Scenario("basic_call.xml"), _server.UdpEndPoint!, keys, calls: n, timeout: TimeSpan.FromSeconds(seconds + 60), extra: $"-r {Math.Max(5, n / 4)}");

        // Steady-state window: from when all calls are up until 5 s before they end.
        for (int i = 0; i < 300 && calls.Count(x => x.Call.State == SipCallState.Active) < n; i++)
        {
            await Task.Delay(100);
        }

        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        long skippedBefore = _server.Clock.SkippedTicks;
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(5, seconds - 10)));
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        double wallSeconds = wall.Elapsed.TotalSeconds;
        long memoryDuring = process.WorkingSet64;
        long skipped = _server.Clock.SkippedTicks - skippedBefore;

        var (code, sippOutput) = await sipp;
        Assert.True(code == 0, sippOutput);
        Assert.Equal(n, calls.Count);
        long concealed = 0, underruns = 0, late = 0, delivered = 0, gaps = 0, fewestFrames = long.MaxValue;
        foreach (var (call, sink) in calls)
        {
            await call.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            var j = call.Media.JitterStatistics;
            concealed += j.FramesConcealed;
            underruns += j.Underruns;
            late += j.LatePackets;
            delivered += sink.Frames;
            gaps += call.Media.Counters.ArrivalGaps;
            fewestFrames = Math.Min(fewestFrames, sink.Frames);
        }

        string report = string.Create(CultureInfo.InvariantCulture,
            $"SIP load: {n} calls x {seconds} s | CPU {100 * cpuSeconds / wallSeconds:F1}% of one core total, {1000 * cpuSeconds / wallSeconds / n:F2} ms CPU per call-second | " +
            $"working set +{(memoryDuring - memoryBefore) / 1024.0 / 1024.0 / n:F2} MiB per call | frames {delivered} (fewest in a call {fewestFrames}), concealed {concealed}, underruns {underruns}, late {late}, sender gaps >60 ms {gaps} | clock skipped ticks {skipped}");
        // Clean on our side: the clock never skipped and every concealed frame is explained by a sender pause.
        bool clean = skipped == 0 && concealed <= gaps;
        report += clean ? " | CLEAN" : " | NOT CLEAN";
        output.WriteLine(report);
        await File.AppendAllTextAsync(Path.Combine(Path.GetTempPath(), "sip-load.txt"), report + Environment.NewLine);

        // The machine is shared with builds, so "clean" is reported, not asserted; gross failure is.
        Assert.True(concealed <= delivered / 100, report);
        Assert.True(fewestFrames >= (seconds - 5) * 50, report);
    }

    private sealed class CountingSink : ICallMediaSink
    {
        public long Frames;

        public void OnInputFrame(ReadOnlySpan<short> pcm) => Interlocked.Increment(ref Frames);

        public void OnDtmf(char digit)
        {
        }

        public void OnEventMessage(string json)
        {
        }

        public void OnEnded(string reason)
        {
        }
    }
}

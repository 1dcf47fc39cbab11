using MediaServer.Signaling.Telemetry;
using OpenTelemetry.Metrics;

namespace MediaServer.Hosting;

/// <summary>
/// Exports what the load driver (<c>bench/Load</c>) reads besides the server's own meter: the runtime's built-in
/// <c>System.Runtime</c> meter (GC heap, working set, thread pool, CPU time) and frame delay histograms with buckets
/// fine enough below 20 ms to read a p99 (OpenTelemetry's default buckets jump from 10 to 25 ms), and turn latency
/// buckets fine enough between 100 ms and 2 s to read a median.
/// </summary>
public static class MediaLoadMetricsSetup
{
    private static readonly double[] TurnBucketsMs = [25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1250, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10000, 20000];

    public static MeterProviderBuilder Configure(MeterProviderBuilder metrics)
    {
        metrics.AddMeter("System.Runtime");
        // Decoders in existence, utterances waiting for one and refused: the soak shows they stay bounded.
        metrics.AddMeter(MediaServer.Pipeline.Stt.Pocketsphinx.PocketsphinxMetrics.MeterName);
        foreach (var name in MediaLoadMetrics.DelayHistograms)
        {
            metrics.AddView(name, new ExplicitBucketHistogramConfiguration { Boundaries = MediaLoadMetrics.DelayBucketsMs });
        }

        metrics.AddView("mediaserver.turn.latency", new ExplicitBucketHistogramConfiguration { Boundaries = TurnBucketsMs });
        return metrics;
    }
}

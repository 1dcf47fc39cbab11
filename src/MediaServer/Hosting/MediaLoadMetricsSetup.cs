using MediaServer.Signaling.Telemetry;
using OpenTelemetry.Metrics;

namespace MediaServer.Hosting;

/// <summary>
/// Exports what the load driver (<c>bench/Load</c>) reads besides the server's own meter: the runtime's built-in
/// <c>System.Runtime</c> meter (GC heap, working set, thread pool, CPU time) and frame delay histograms with buckets
/// fine enough below 20 ms to read a p99 (OpenTelemetry's default buckets jump from 10 to 25 ms).
/// </summary>
public static class MediaLoadMetricsSetup
{
    public static MeterProviderBuilder Configure(MeterProviderBuilder metrics)
    {
        metrics.AddMeter("System.Runtime");
        foreach (var name in MediaLoadMetrics.DelayHistograms)
        {
            metrics.AddView(name, new ExplicitBucketHistogramConfiguration { Boundaries = MediaLoadMetrics.DelayBucketsMs });
        }

        return metrics;
    }
}

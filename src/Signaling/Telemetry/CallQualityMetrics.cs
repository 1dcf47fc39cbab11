using System.Diagnostics.Metrics;
using MediaServer.Signaling.Calls;

namespace MediaServer.Signaling.Telemetry;

/// <summary>
/// Media quality of calls, by transport: when a call ends its receive counters (packets lost, frames concealed by
/// the jitter buffer) are added to counters and its jitter recorded in a histogram, so a dashboard shows loss and
/// jitter across all calls without a time series per call; while calls live, the worst current jitter is a gauge.
/// </summary>
public static class CallQualityMetrics
{
    public static readonly Counter<long> PacketsLost = RealtimeTelemetry.Meter.CreateCounter<long>(
        "mediaserver.call.packets.lost", unit: "{packet}", description: "RTP packets lost on the way in, from ended calls");

    public static readonly Counter<long> FramesConcealed = RealtimeTelemetry.Meter.CreateCounter<long>(
        "mediaserver.call.frames.concealed", unit: "{frame}", description: "Audio frames the jitter buffer concealed, from ended calls");

    public static readonly Counter<long> PacketsReceived = RealtimeTelemetry.Meter.CreateCounter<long>(
        "mediaserver.call.packets.received", unit: "{packet}", description: "RTP packets received, from ended calls");

    public static readonly Histogram<double> Jitter = RealtimeTelemetry.Meter.CreateHistogram<double>(
        "mediaserver.call.jitter", unit: "ms", description: "Interarrival jitter of ended calls");

    /// <summary>Hooks the registry: each ended call's final counters are recorded once.</summary>
    public static void Observe(CallRegistry calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        calls.Removed += Record;
        RealtimeTelemetry.Meter.CreateObservableGauge("mediaserver.call.jitter.max", () =>
            calls.Calls.Select(c => c.MediaStats?.JitterMs ?? 0)
                .DefaultIfEmpty(0)
                .Max(), unit: "ms", description: "Worst interarrival jitter among live calls");
    }

    /// <summary>Records one ended call (public for tests).</summary>
    public static void Record(RealtimeCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.MediaStats is not { } stats)
        {
            return;
        }

        var transport = new KeyValuePair<string, object?>("transport", call.Transport);
        PacketsLost.Add(stats.PacketsLost, transport);
        FramesConcealed.Add(stats.FramesConcealed, transport);
        PacketsReceived.Add(stats.PacketsReceived, transport);
        Jitter.Record(stats.JitterMs, transport);
    }
}

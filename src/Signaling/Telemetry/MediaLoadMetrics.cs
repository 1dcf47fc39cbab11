using System.Diagnostics.Metrics;
using MediaServer.Rtc.Clock;

namespace MediaServer.Signaling.Telemetry;

/// <summary>
/// How well the media path keeps up under load, for the load driver (<c>bench/Load</c>) and operators: the delay
/// from a 20 ms frame's deadline to the moment it was processed, frames processed later than one frame period,
/// and ticks the media clock had to skip. Two paths are measured apart because their deadlines differ: calls
/// (SIP, WebRTC) are processed on the shared media clock, so a tick's deadline is known exactly; WebSocket audio
/// is processed as the client sends it, so its deadline is the session's input timeline (see
/// <see cref="WireAudioArrival"/>). Instruments take no tags, so recording allocates nothing.
/// </summary>
public static class MediaLoadMetrics
{
    /// <summary>Histogram bucket bounds (ms) fine enough to read a p99 under one 20 ms frame period.</summary>
    public static readonly double[] DelayBucketsMs = [0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150, 250, 500, 1000];

    /// <summary>A frame later than this (one frame period) has missed its slot.</summary>
    public const double LateThresholdMs = 20;

    /// <summary>Names of the delay histograms, for the exporter's bucket view.</summary>
    public static readonly string[] DelayHistograms = ["mediaserver.media.tick.delay", "mediaserver.websocket.audio.delay"];

    /// <summary>From a media clock tick's deadline until every call's frame of that tick was received and sent.</summary>
    public static readonly Histogram<double> TickDelay = RealtimeTelemetry.Meter.CreateHistogram<double>(
        DelayHistograms[0], unit: "ms", description: "Media clock tick deadline to all calls' frames processed");

    /// <summary>Ticks whose frames were processed more than one frame period after the deadline.</summary>
    public static readonly Counter<long> TicksLate = RealtimeTelemetry.Meter.CreateCounter<long>(
        "mediaserver.media.ticks.late", description: "Media clock ticks processed later than one frame period");

    /// <summary>From a WebSocket audio chunk's place on its session's input timeline until it was processed.</summary>
    public static readonly Histogram<double> WebSocketAudioDelay = RealtimeTelemetry.Meter.CreateHistogram<double>(
        DelayHistograms[1], unit: "ms", description: "WebSocket input audio timeline deadline to processed");

    /// <summary>WebSocket audio chunks processed more than one frame period behind their timeline.</summary>
    public static readonly Counter<long> WebSocketAudioLate = RealtimeTelemetry.Meter.CreateCounter<long>(
        "mediaserver.websocket.audio.late", description: "WebSocket audio chunks processed later than one frame period");

    /// <summary>
    /// Records every tick of <paramref name="clock"/> and exports the ticks it skipped after stalls (each a frame
    /// missed by every call).
    /// </summary>
    public static void Observe(MediaClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        clock.TickProcessed += OnTickProcessed;
        RealtimeTelemetry.Meter.CreateObservableCounter("mediaserver.media.ticks.skipped", () => clock.SkippedTicks,
            description: "Media clock ticks skipped after stalls (frames missed by every call)");
    }

    private static void OnTickProcessed(MediaClockTick tick, TimeSpan delay)
    {
        double ms = delay.TotalMilliseconds;
        TickDelay.Record(ms);
        if (ms > LateThresholdMs)
        {
            TicksLate.Add(1);
        }
    }

    /// <summary>Records one WebSocket audio chunk's delay (see <see cref="WireAudioArrival"/>).</summary>
    public static void RecordWebSocketAudio(double delayMs)
    {
        WebSocketAudioDelay.Record(delayMs);
        if (delayMs > LateThresholdMs)
        {
            WebSocketAudioLate.Add(1);
        }
    }
}

using System.Diagnostics;
using MediaServer.Signaling.Telemetry;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>The session's share of the media load metrics: how late its WebSocket input audio is processed.</summary>
public sealed partial class RealtimeSession
{
    private WireAudioArrival _wireArrival;

    /// <summary>Called under the lock after a chunk of wire audio was processed by the input pipeline.</summary>
    private void RecordWireAudioProcessed(int bytes)
    {
        var format = Config.InputFormat;
        double durationMs = bytes / (double)format.BytesPerSample * 1000.0 / format.SampleRate;
        double nowMs = Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
        MediaLoadMetrics.RecordWebSocketAudio(_wireArrival.OnChunk(nowMs, durationMs));
    }
}

using System.Diagnostics;

namespace MediaServer.Signaling.Realtime.Session;

public sealed partial class RealtimeSession
{
    private long _lastSpeechEnd;

    /// <summary>
    /// Records when the user's speech acoustically ended, as a <see cref="Stopwatch"/> timestamp: the VAD reports
    /// it on the audio timeline (<paramref name="audioEndMs"/>), which is behind the newest audio by the silence it
    /// waited for; that distance is taken off the current time. (A client that streams faster than real time makes
    /// this an estimate; calls and real-time clients are exact to a frame.) Called under the session lock.
    /// </summary>
    private void MarkSpeechEnded(long audioEndMs)
    {
        long behindMs = Math.Max(0, _input.TimelineMs - audioEndMs);
        _lastSpeechEnd = Stopwatch.GetTimestamp() - (behindMs * Stopwatch.Frequency / 1000);
    }

    /// <summary>The last speech end, once: the response it starts owns it (0 when no VAD turn preceded it).</summary>
    private long TakeSpeechEnded()
    {
        long value = _lastSpeechEnd;
        _lastSpeechEnd = 0;
        return value;
    }
}

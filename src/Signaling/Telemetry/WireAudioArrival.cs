namespace MediaServer.Signaling.Telemetry;

/// <summary>
/// The deadline of WebSocket input audio. A client streaming live audio sends it in real time, so a chunk is due
/// when its last sample is due on the session's input timeline: <c>anchor + audio time</c>. The anchor is the
/// smallest (wall time − audio time) offset seen over the last one to two seconds, so early chunks move it at once
/// and a chunk processed later than that shows as delay; a server that falls behind and catches up shows the whole
/// backlog. A client that pauses (OpenAI's clients may stop sending while the agent speaks) shows its pause as delay
/// on the first chunk after it for at most two seconds, then the window forgets it. One per session, under its lock;
/// allocation-free.
/// </summary>
public struct WireAudioArrival
{
    /// <summary>Length of each of the two windows whose minimum offset is the anchor.</summary>
    public const double WindowMs = 1000;

    private double _audioMs;
    private double _currentMin;
    private double _previousMin;
    private double _windowEndMs;
    private bool _started;

    /// <summary>Adds a chunk of <paramref name="durationMs"/> processed at <paramref name="nowMs"/> (monotonic); returns its delay in ms.</summary>
    public double OnChunk(double nowMs, double durationMs)
    {
        _audioMs += durationMs;
        double offset = nowMs - _audioMs;
        if (!_started || nowMs >= _windowEndMs)
        {
            _previousMin = _started && nowMs - _windowEndMs < WindowMs ? _currentMin : double.MaxValue;
            _currentMin = double.MaxValue;
            _windowEndMs = nowMs + WindowMs;
            _started = true;
        }

        _currentMin = Math.Min(_currentMin, offset);
        return offset - Math.Min(_previousMin, _currentMin);
    }
}

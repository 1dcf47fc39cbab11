namespace MediaServer.Rtc.Rtp;

/// <summary>
/// Extends 32-bit RTP timestamps to 64 bits (RFC 3550 section 5.1: the timestamp wraps, about every 24.9 hours
/// at 48 kHz and 6.2 days at 8 kHz). Each value is placed within ±2^31 of the newest one seen.
/// </summary>
public struct TimestampUnwrapper
{
    private long _last;
    private bool _started;

    public readonly long? Last => _started ? _last : null;

    public long Unwrap(uint timestamp)
    {
        if (!_started)
        {
            _started = true;
            _last = timestamp;
            return _last;
        }

        int delta = (int)(timestamp - (uint)_last);
        long value = _last + delta;
        if (delta > 0)
        {
            _last = value;
        }

        return value;
    }

    public void Reset() => this = default;
}

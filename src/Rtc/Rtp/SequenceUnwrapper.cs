namespace MediaServer.Rtc.Rtp;

/// <summary>
/// Extends 16-bit RTP sequence numbers to 64 bits. Each value is placed within ±32768 of the previous one, so
/// wrap-around (65535 -> 0) counts up and a reordered packet from before a wrap counts down (RFC 3550 A.1 keeps
/// the same idea as a cycle count).
/// </summary>
public struct SequenceUnwrapper
{
    private long _last;
    private bool _started;

    /// <summary>The last extended value returned, or null before the first.</summary>
    public readonly long? Last => _started ? _last : null;

    /// <summary>Returns the extended sequence number of <paramref name="sequence"/>.</summary>
    public long Unwrap(ushort sequence)
    {
        if (!_started)
        {
            _started = true;
            _last = sequence;
            return _last;
        }

        int delta = (short)(ushort)(sequence - (ushort)_last);
        long value = _last + delta;
        if (delta > 0)
        {
            _last = value;
        }

        return value;
    }

    /// <summary>Extends without moving the reference point (a look-ahead).</summary>
    public readonly long Peek(ushort sequence) =>
        _started ? _last + (short)(ushort)(sequence - (ushort)_last) : sequence;

    public void Reset() => this = default;
}

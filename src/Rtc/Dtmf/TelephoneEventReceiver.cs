namespace MediaServer.Rtc.Dtmf;

/// <summary>What one received telephone-event packet meant.</summary>
public enum TelephoneEventOutcome
{
    /// <summary>An update or a repeat of an event already reported; nothing new.</summary>
    None = 0,

    /// <summary>A new event started (reported once, even if its first packets were lost).</summary>
    Began,

    /// <summary>The event in progress ended (reported once; the redundant end packets are absorbed).</summary>
    Ended,

    /// <summary>A new event whose first packet seen is already an end packet: it began and ended.</summary>
    BeganAndEnded,

    /// <summary>The payload was shorter than 4 bytes.</summary>
    Malformed,
}

/// <summary>
/// Turns received RFC 4733 packets into events reported exactly once (section 2.5.2): a new RTP timestamp (or the
/// marker bit) starts an event, repeated end packets are dropped, late packets of an event already ended are
/// ignored. Segmented long events (same code, timestamp moved on, no marker, section 2.5.1.3) continue the same
/// event. Not thread safe.
/// </summary>
public sealed class TelephoneEventReceiver
{
    private bool _haveEvent;
    private uint _timestamp;
    private byte _code;
    private bool _ended;
    private uint _segmentBase;

    /// <summary>The event code of the current or last event.</summary>
    public byte LastEvent => _code;

    /// <summary>Total duration of the current or last event in timestamp units.</summary>
    public uint LastDuration { get; private set; }

    /// <summary>Events reported so far.</summary>
    public long EventCount { get; private set; }

    /// <summary>Processes one packet's payload with its RTP timestamp and marker bit.</summary>
    public TelephoneEventOutcome Process(ReadOnlySpan<byte> payload, uint timestamp, bool marker, out TelephoneEvent value)
    {
        if (!TelephoneEvent.TryRead(payload, out value))
        {
            return TelephoneEventOutcome.Malformed;
        }

        if (_haveEvent && timestamp == _timestamp && value.Event == _code)
        {
            LastDuration = Math.Max(LastDuration, _segmentBase + value.Duration);
            if (value.End && !_ended)
            {
                _ended = true;
                return TelephoneEventOutcome.Ended;
            }

            return TelephoneEventOutcome.None;
        }

        bool isContinuationSegment = _haveEvent && !_ended && !marker && value.Event == _code && (int)(timestamp - _timestamp) > 0;
        if (_haveEvent && (int)(timestamp - _timestamp) < 0 && !marker)
        {
            return TelephoneEventOutcome.None; // a late packet of an older event
        }

        if (isContinuationSegment)
        {
            _segmentBase += timestamp - _timestamp;
            _timestamp = timestamp;
            LastDuration = _segmentBase + value.Duration;
            if (value.End)
            {
                _ended = true;
                return TelephoneEventOutcome.Ended;
            }

            return TelephoneEventOutcome.None;
        }

        _haveEvent = true;
        _timestamp = timestamp;
        _code = value.Event;
        _segmentBase = 0;
        _ended = value.End;
        LastDuration = value.Duration;
        EventCount++;
        return value.End ? TelephoneEventOutcome.BeganAndEnded : TelephoneEventOutcome.Began;
    }
}

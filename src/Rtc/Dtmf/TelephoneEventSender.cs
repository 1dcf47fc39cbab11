namespace MediaServer.Rtc.Dtmf;

/// <summary>
/// Produces the RFC 4733 packet train of queued digits, one packet per media clock tick (section 2.5.1): a first
/// packet with the marker bit, updates every tick with the growing duration and the same timestamp, then the final
/// packet with the E bit sent three times (section 2.5.1.4 redundancy); events longer than the 16-bit duration
/// field are cut into segments (section 2.5.1.3); a gap of silence follows each digit. The RTP sender stamps
/// sequence numbers and SSRC. Not thread safe; no allocation after construction except the digit queue growing.
/// </summary>
public sealed class TelephoneEventSender
{
    /// <summary>Number of times the end packet is sent (RFC 4733 section 2.5.1.4 recommends three).</summary>
    public const int EndRepetitions = 3;

    private readonly Queue<(byte Code, int DurationUnits, byte Volume)> _queue = new();
    private readonly int _unitsPerTick;
    private readonly int _gapTicks;
    private bool _active;
    private byte _code;
    private byte _volume;
    private int _totalUnits;
    private int _elapsedUnits;
    private uint _segmentStart;
    private int _segmentOffset;
    private bool _segmentStarted;
    private int _endsSent;
    private int _gapRemaining;

    /// <param name="clockRate">RTP clock rate of the telephone-event format (8000 usually, 48000 with Opus).</param>
    /// <param name="tickMilliseconds">Media clock tick; packets are sent at this rate.</param>
    /// <param name="interDigitGapMilliseconds">Silence between queued digits.</param>
    public TelephoneEventSender(int clockRate = 8000, int tickMilliseconds = 20, int interDigitGapMilliseconds = 60)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tickMilliseconds);
        ClockRate = clockRate;
        _unitsPerTick = clockRate * tickMilliseconds / 1000;
        _gapTicks = (interDigitGapMilliseconds + tickMilliseconds - 1) / tickMilliseconds;
    }

    public int ClockRate { get; }

    /// <summary>True while a digit is being sent or more are queued.</summary>
    public bool IsBusy => _active || _queue.Count > 0 || _gapRemaining > 0;

    /// <summary>Queues a digit (0-9, *, #, A-D) of <paramref name="duration"/> at <paramref name="volume"/> -dBm0.</summary>
    public void Enqueue(char digit, TimeSpan duration, byte volume = 10)
    {
        if (!TelephoneEvent.TryGetCode(digit, out byte code))
        {
            throw new ArgumentOutOfRangeException(nameof(digit), "Not a DTMF digit.");
        }

        EnqueueEvent(code, duration, volume);
    }

    /// <summary>Queues any event code (16 = hook flash).</summary>
    public void EnqueueEvent(byte eventCode, TimeSpan duration, byte volume = 10)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(volume, (byte)63);
        int units = (int)Math.Max(_unitsPerTick, duration.TotalSeconds * ClockRate);
        _queue.Enqueue((eventCode, units, volume));
    }

    /// <summary>
    /// Called once per tick with the RTP timestamp the audio stream would use now. Returns the packet to send this
    /// tick (false: send audio, nothing of ours is due).
    /// </summary>
    public bool TryGetPacket(uint timestampNow, out TelephoneEventPacket packet)
    {
        packet = default;
        if (!_active)
        {
            if (_gapRemaining > 0)
            {
                _gapRemaining--;
                return false;
            }

            if (!_queue.TryDequeue(out var next))
            {
                return false;
            }

            _active = true;
            _code = next.Code;
            _totalUnits = next.DurationUnits;
            _volume = next.Volume;
            _elapsedUnits = 0;
            _segmentOffset = 0;
            _segmentStart = timestampNow;
            _segmentStarted = false;
            _endsSent = 0;
        }

        if (_elapsedUnits < _totalUnits)
        {
            _elapsedUnits = Math.Min(_totalUnits, _elapsedUnits + _unitsPerTick);
            int inSegment = _elapsedUnits - _segmentOffset;
            if (inSegment > ushort.MaxValue)
            {
                // Section 2.5.1.3: close this segment at its maximum and start a new one with a fresh timestamp.
                _segmentOffset += ushort.MaxValue;
                _segmentStart += ushort.MaxValue;
                inSegment = _elapsedUnits - _segmentOffset;
            }

            bool marker = !_segmentStarted;
            _segmentStarted = true;
            bool end = _elapsedUnits >= _totalUnits;
            packet = new TelephoneEventPacket(new TelephoneEvent(_code, end, _volume, (ushort)inSegment), _segmentStart, marker);
            if (end)
            {
                _endsSent = 1;
                FinishIfDone();
            }

            return true;
        }

        packet = new TelephoneEventPacket(new TelephoneEvent(_code, true, _volume, (ushort)(_elapsedUnits - _segmentOffset)), _segmentStart, false);
        _endsSent++;
        FinishIfDone();
        return true;
    }

    /// <summary>Drops everything queued and any digit in progress (no end packets are sent).</summary>
    public void Clear()
    {
        _queue.Clear();
        _active = false;
        _gapRemaining = 0;
    }

    private void FinishIfDone()
    {
        if (_endsSent >= EndRepetitions)
        {
            _active = false;
            _gapRemaining = _gapTicks;
        }
    }
}

namespace MediaServer.Rtc.Rtp;

/// <summary>
/// Reception statistics of one SSRC as RFC 3550 Appendix A defines them: sequence validation and extended
/// highest sequence (A.1), cumulative and fraction lost (A.3), interarrival jitter (A.8), and the timing of the
/// last sender report for LSR/DLSR (section 6.4.1). One instance per inbound SSRC; not thread safe (one receive
/// loop owns it).
/// </summary>
public sealed class RtpReceiveStatistics
{
    /// <summary>A.1: a jump larger than this is treated as a restart candidate rather than loss.</summary>
    public const int MaxDropout = 3000;

    /// <summary>A.1: packets this far behind are accepted as late rather than as a restart.</summary>
    public const int MaxMisorder = 100;

    private const uint SeqModulo = 1 << 16;

    private readonly int _clockRate;
    private readonly int _minSequential;
    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private uint _badSeq;
    private int _probation;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _transit;
    private bool _haveTransit;
    private uint _jitterQ4; // jitter in timestamp units, scaled by 16 (A.8 integer form)
    private bool _started;

    /// <param name="ssrc">The source.</param>
    /// <param name="clockRate">RTP clock rate of the payload (8000 for PCMU, 48000 for Opus), for jitter.</param>
    /// <param name="minSequential">A.1 MIN_SEQUENTIAL: packets in sequence before a source is valid (RFC default 2;
    /// 1 trusts the first packet, right for a signalled source).</param>
    public RtpReceiveStatistics(uint ssrc, int clockRate, int minSequential = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minSequential);
        Ssrc = ssrc;
        _clockRate = clockRate;
        _minSequential = minSequential;
    }

    public uint Ssrc { get; }

    /// <summary>Packets accepted (duplicates included, as in A.3).</summary>
    public long PacketsReceived => _received;

    /// <summary>Packets rejected by sequence validation (big jumps, probation).</summary>
    public long PacketsDiscarded { get; private set; }

    /// <summary>Cycles (wraps) in the high 16 bits plus the highest sequence seen (A.1).</summary>
    public uint ExtendedHighestSequence => _cycles + _maxSeq;

    /// <summary>Packets expected since the first (A.3).</summary>
    public long Expected => _started ? (long)ExtendedHighestSequence - _baseSeq + 1 : 0;

    /// <summary>Expected minus received; negative with duplicates (A.3).</summary>
    public long CumulativeLost => Expected - _received;

    /// <summary>Interarrival jitter in timestamp units (A.8).</summary>
    public uint Jitter => _jitterQ4 >> 4;

    /// <summary>Interarrival jitter in milliseconds.</summary>
    public double JitterMilliseconds => Jitter * 1000.0 / _clockRate;

    /// <summary>The middle 32 bits of the last SR's NTP timestamp (LSR), 0 before any SR.</summary>
    public uint LastSenderReportNtp { get; private set; }

    /// <summary>When that SR arrived, on the receiver's clock.</summary>
    public TimeSpan LastSenderReportArrival { get; private set; }

    /// <summary>
    /// Accounts one packet. <paramref name="arrival"/> is the arrival time on any monotonic clock. Returns false
    /// when A.1 rejects the packet (it should then not be played).
    /// </summary>
    public bool Update(ushort sequence, uint timestamp, TimeSpan arrival)
    {
        if (!_started)
        {
            _started = true;
            InitSequence(sequence);
            _maxSeq = (ushort)(sequence - 1);
            _probation = _minSequential;
        }

        if (!UpdateSequence(sequence))
        {
            PacketsDiscarded++;
            return false;
        }

        // A.8: transit = arrival in timestamp units - RTP timestamp; J += (|D| - J) / 16.
        long arrivalUnits = (long)(arrival.Ticks * (_clockRate / (double)TimeSpan.TicksPerSecond));
        long transit = (uint)arrivalUnits - (long)timestamp;
        if (_haveTransit)
        {
            long d = (int)(uint)(transit - _transit); // wrap-safe difference
            if (d < 0)
            {
                d = -d;
            }

            _jitterQ4 = (uint)(_jitterQ4 + d - ((_jitterQ4 + 8) >> 4));
        }

        _transit = transit;
        _haveTransit = true;
        return true;
    }

    /// <summary>Notes a sender report for the LSR/DLSR fields of our next report block.</summary>
    public void OnSenderReport(ulong ntpTimestamp, TimeSpan arrival)
    {
        LastSenderReportNtp = (uint)(ntpTimestamp >> 16);
        LastSenderReportArrival = arrival;
    }

    /// <summary>
    /// Produces the figures of an RTCP reception report block and starts a new interval for the fraction lost
    /// (A.3). <paramref name="now"/> is on the same clock as the arrivals, for DLSR.
    /// </summary>
    public RtpReceptionReport CreateReport(TimeSpan now)
    {
        long expected = Expected;
        long expectedInterval = expected - _expectedPrior;
        _expectedPrior = expected;
        long receivedInterval = _received - _receivedPrior;
        _receivedPrior = _received;
        long lostInterval = expectedInterval - receivedInterval;
        byte fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);

        // The cumulative count is a signed 24-bit field (section 6.4.1): clamp rather than wrap.
        int cumulative = (int)Math.Clamp(CumulativeLost, -0x800000, 0x7FFFFF);
        uint dlsr = 0;
        if (LastSenderReportNtp != 0)
        {
            double delay = Math.Max(0, (now - LastSenderReportArrival).TotalSeconds);
            dlsr = (uint)Math.Min(uint.MaxValue, delay * 65536.0);
        }

        return new RtpReceptionReport(Ssrc, fraction, cumulative, ExtendedHighestSequence, Jitter, LastSenderReportNtp, dlsr);
    }

    private void InitSequence(ushort sequence)
    {
        _baseSeq = sequence;
        _maxSeq = sequence;
        _badSeq = SeqModulo + 1;
        _cycles = 0;
        _received = 0;
        _receivedPrior = 0;
        _expectedPrior = 0;
    }

    // RFC 3550 A.1 update_seq, written afresh.
    private bool UpdateSequence(ushort sequence)
    {
        ushort delta = (ushort)(sequence - _maxSeq);
        if (_probation > 0)
        {
            if (sequence == (ushort)(_maxSeq + 1))
            {
                _probation--;
                _maxSeq = sequence;
                if (_probation == 0)
                {
                    InitSequence(sequence);
                    _received++;
                    return true;
                }
            }
            else
            {
                _probation = _minSequential - 1;
                _maxSeq = sequence;
            }

            return false;
        }

        if (delta < MaxDropout)
        {
            if (sequence < _maxSeq)
            {
                _cycles += SeqModulo;
            }

            _maxSeq = sequence;
        }
        else if (delta <= SeqModulo - MaxMisorder)
        {
            // A very large jump: accept only if the next packet follows it (the sender restarted).
            if (sequence == _badSeq)
            {
                InitSequence(sequence);
            }
            else
            {
                _badSeq = (uint)((sequence + 1) & (SeqModulo - 1));
                return false;
            }
        }

        // Otherwise a duplicate or a reordered packet: counted as received.
        _received++;
        return true;
    }
}

using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.Jitter;

/// <summary>
/// The jitter buffer of one inbound audio stream: packets go in as they arrive (<see cref="Push(in RtpPacket, TimeSpan)"/>),
/// one 20 ms frame of PCM comes out per media clock tick (<see cref="Pull"/>).
/// </summary>
/// <remarks>
/// <para>Ordering and timing are by RTP timestamp (unwrapped), so reordering, duplicates and late packets are
/// decided against the play-out point. A packet missing at the play-out point is treated as lost when a later
/// one is already here: it is rebuilt from that packet's FEC if the codec has it and the packet follows directly,
/// or concealed by the codec's PLC. When nothing later is here the buffer has run dry (jitter, not loss): it
/// conceals without moving the play-out point, which adds a frame of delay; a long dry spell ends play-out until
/// the next talk spurt.</para>
/// <para>Delay control: each packet's jitter (how much later than the fastest recent packet it came) feeds a
/// forgetting histogram whose quantile is the target delay. The buffer's actual added delay is estimated per
/// packet as its head-room before play-out plus its own jitter, which cancels the jitter noise. Above target plus
/// hysteresis one pitch period is cut from the decoded audio per frame, below target minus half the hysteresis one
/// is inserted (running dry costs more than a little extra delay) (<see cref="TimeStretcher"/>); this is also what absorbs sender clock drift.</para>
/// <para>Comfort noise (RFC 3389) packets switch the output to generated noise until audio resumes. Not thread
/// safe: the receive path pushes and the clock tick pulls, so the owner serialises them (for example both under
/// one lock, or both on the clock tick after draining a queue). Nothing is allocated after construction.</para>
/// </remarks>
public sealed class JitterBuffer
{
    private const int MaxPacketSamples48k = 5760; // 120 ms, the longest Opus packet

    private readonly IAudioDecoder _decoder;
    private readonly JitterBufferOptions _options;
    private readonly int _rtpClockRate;
    private readonly int _channels;
    private readonly int _frameSamples;     // per channel, at the decoder rate
    private readonly long _frameTs;         // one frame in RTP timestamp units
    private readonly double _tsPerSample;   // RTP units per decoded sample
    private readonly Slot[] _slots;
    private readonly short[] _pcm;          // decoded audio waiting to be played (interleaved)
    private readonly short[] _decodeBuffer;
    private readonly long[] _playedSequences = new long[64];
    private readonly JitterDelayEstimator _estimator;
    private readonly ComfortNoise _comfortNoise = new();
    private SequenceUnwrapper _sequences;
    private TimestampUnwrapper _timestamps;
    private int _slotCount;
    private int _pcmCount;
    private bool _playing;
    private long _playTs;
    private bool _comfortNoiseActive;
    private int _underrunFrames;
    private int _concealedAhead;            // frames concealed for _playTs while dry, not yet accounted for
    private double _delayMs;
    private bool _haveDelay;
    private TimeSpan _lastPull;
    private bool _havePull;
    private int _playedNext;
    private JitterFrameKind _frameKind;

    // Counters for the statistics snapshot.
    private long _received;
    private long _late;
    private long _duplicates;
    private long _overflow;
    private long _rejected;
    private long _played;
    private long _decoded;
    private long _concealed;
    private long _fec;
    private long _cng;
    private long _silent;
    private long _underruns;
    private long _compressed;
    private long _expanded;
    private long _resyncs;

    /// <param name="decoder">The stream's decoder (the buffer calls its PLC and FEC too).</param>
    /// <param name="rtpClockRate">The payload format's RTP clock (8000 PCMU/PCMA, 48000 Opus).</param>
    /// <param name="options">Settings; defaults when null.</param>
    public JitterBuffer(IAudioDecoder decoder, int rtpClockRate, JitterBufferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rtpClockRate);
        _options = options ?? new JitterBufferOptions();
        _options.Validate();
        _decoder = decoder;
        _rtpClockRate = rtpClockRate;
        _channels = decoder.Channels;
        _frameSamples = decoder.SampleRate / 50;
        _tsPerSample = rtpClockRate / (double)decoder.SampleRate;
        _frameTs = rtpClockRate / 50;
        _slots = new Slot[_options.Capacity];
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new Slot(_options.MaxPayloadBytes);
        }

        int maxPacketSamples = (int)Math.Ceiling(MaxPacketSamples48k * decoder.SampleRate / 48000.0);
        _decodeBuffer = new short[maxPacketSamples * _channels];
        _pcm = new short[((2 * maxPacketSamples) + (3 * _frameSamples)) * _channels];
        _estimator = new JitterDelayEstimator(_options.ForgetFactor, _options.Quantile);
        _delayMs = _options.InitialDelay.TotalMilliseconds;
        Array.Fill(_playedSequences, long.MinValue);
    }

    /// <summary>Samples per channel in each pulled frame (20 ms at the decoder's rate).</summary>
    public int FrameSamples => _frameSamples;

    public int Channels => _channels;

    public int SampleRate => _decoder.SampleRate;

    /// <summary>
    /// Target delay now (ms): the jitter quantile plus one frame, because packets are taken only at 20 ms ticks and
    /// decoded audio left over from the last packet does not help the next tick that needs a whole new packet.
    /// </summary>
    public double TargetDelayMs
    {
        get
        {
            // Until a second of packets has been measured, never go below the configured initial delay.
            double target = _estimator.QuantileMs + 20;
            if (_estimator.Samples < 50)
            {
                target = Math.Max(target, _options.InitialDelay.TotalMilliseconds);
            }

            return Math.Clamp(target, _options.MinDelay.TotalMilliseconds, _options.MaxDelay.TotalMilliseconds);
        }
    }

    internal double LastHeadroomMs { get; private set; }

    internal double LastJitterMs { get; private set; }

    /// <summary>Estimated delay the buffer adds now (ms).</summary>
    public double CurrentDelayMs => _delayMs;

    public JitterBufferStatistics Statistics => new()
    {
        CurrentDelay = TimeSpan.FromMilliseconds(_delayMs),
        TargetDelay = TimeSpan.FromMilliseconds(TargetDelayMs),
        JitterQuantile = TimeSpan.FromMilliseconds(_estimator.QuantileMs),
        PacketsReceived = _received,
        LatePackets = _late,
        DuplicatePackets = _duplicates,
        OverflowPackets = _overflow,
        RejectedPackets = _rejected,
        FramesPlayed = _played,
        FramesDecoded = _decoded,
        FramesConcealed = _concealed,
        FramesRecoveredByFec = _fec,
        FramesComfortNoise = _cng,
        FramesSilent = _silent,
        Underruns = _underruns,
        SamplesCompressed = _compressed,
        SamplesExpanded = _expanded,
        Resyncs = _resyncs,
    };

    /// <summary>Parses and pushes raw RTP; unparsable packets count as rejected.</summary>
    public JitterPushResult Push(ReadOnlySpan<byte> rtp, TimeSpan arrival)
    {
        if (!RtpPacket.TryRead(rtp, out var packet))
        {
            _rejected++;
            return JitterPushResult.Rejected;
        }

        return Push(packet, arrival);
    }

    /// <summary>Takes one received packet; <paramref name="arrival"/> is on the same clock as <see cref="Pull"/>'s time.</summary>
    public JitterPushResult Push(in RtpPacket packet, TimeSpan arrival)
    {
        bool isCn = packet.PayloadType == _options.ComfortNoisePayloadType;
        if ((!isCn && _options.PayloadType is int pt && packet.PayloadType != pt) || packet.Payload.IsEmpty || packet.Payload.Length > _options.MaxPayloadBytes)
        {
            _rejected++;
            return JitterPushResult.Rejected;
        }

        long seq = _sequences.Unwrap(packet.SequenceNumber);
        long ts = _timestamps.Unwrap(packet.Timestamp);
        if (_playing && ts < _playTs)
        {
            if (WasPlayed(seq))
            {
                _duplicates++;
                return JitterPushResult.Duplicate;
            }

            _late++;
            return JitterPushResult.Late;
        }

        for (int i = 0; i < _slotCount; i++)
        {
            if (_slots[i].Sequence == seq)
            {
                _duplicates++;
                return JitterPushResult.Duplicate;
            }
        }

        _received++;
        double arrivalMs = arrival.TotalMilliseconds;
        double jitter = _estimator.Update(arrivalMs, ts * 1000.0 / _rtpClockRate);
        if (_playing && _havePull)
        {
            // Head-room until this packet plays, plus its own lateness, is the delay the buffer adds for it.
            double nextPullMs = _lastPull.TotalMilliseconds + 20;
            double headroom = (nextPullMs - arrivalMs) + ((ts - _playTs) * 1000.0 / _rtpClockRate) + (_pcmCount / _channels * 1000.0 / SampleRate);
            double sample = headroom + jitter;
            LastHeadroomMs = headroom;
            LastJitterMs = jitter;
            _delayMs = _haveDelay ? _delayMs + ((sample - _delayMs) / 16) : sample;
            _haveDelay = true;
        }

        var result = JitterPushResult.Accepted;
        Slot slot;
        if (_slotCount == _slots.Length)
        {
            int oldest = IndexOfOldest();
            if (_slots[oldest].Timestamp > ts)
            {
                _overflow++;
                return JitterPushResult.Rejected;
            }

            slot = _slots[oldest];
            _overflow++;
            result = JitterPushResult.AcceptedWithOverflow;
        }
        else
        {
            slot = _slots[_slotCount++];
        }

        slot.Set(packet, seq, ts, arrival, isCn);
        return result;
    }

    /// <summary>
    /// Produces the next 20 ms (<see cref="FrameSamples"/> × <see cref="Channels"/> samples) into
    /// <paramref name="pcm"/>; call once per media clock tick with the tick time.
    /// </summary>
    public JitterFrameKind Pull(Span<short> pcm, TimeSpan now)
    {
        int frameLength = _frameSamples * _channels;
        if (pcm.Length < frameLength)
        {
            throw new ArgumentException("Output shorter than one frame.", nameof(pcm));
        }

        _lastPull = now;
        _havePull = true;
        _played++;
        _frameKind = JitterFrameKind.Decoded;

        if (!_playing && !TryStart(now))
        {
            if (_pcmCount > 0)
            {
                // Play out what was already decoded before going quiet.
                TakeFrame(pcm[..frameLength]);
                return JitterFrameKind.Decoded;
            }

            _silent++;
            pcm[..frameLength].Clear();
            return JitterFrameKind.Silence;
        }

        while (_pcmCount < frameLength && _playing)
        {
            ProduceChunk();
        }

        if (_pcmCount == 0 && !_playing)
        {
            // Dry for too long: play-out stopped until the next talk spurt.
            _silent++;
            pcm[..frameLength].Clear();
            return JitterFrameKind.Silence;
        }

        if (_pcmCount < frameLength)
        {
            // Stopped mid-frame (dry for too long): pad with silence.
            _pcm.AsSpan(_pcmCount, frameLength - _pcmCount).Clear();
            _pcmCount = frameLength;
        }

        AdjustDelay();
        TakeFrame(pcm[..frameLength]);
        return _frameKind;
    }

    /// <summary>Drops everything buffered and starts over (new stream, SSRC change).</summary>
    public void Reset()
    {
        _slotCount = 0;
        _pcmCount = 0;
        _playing = false;
        _comfortNoiseActive = false;
        _sequences.Reset();
        _timestamps.Reset();
        _estimator.ResetBaseline();
        _haveDelay = false;
        _decoder.Reset();
    }

    private bool TryStart(TimeSpan now)
    {
        if (_slotCount == 0)
        {
            return false;
        }

        int first = IndexOfOldest();
        var slot = _slots[first];
        // The oldest packet plays at this tick if starting now: start once its wait is within half a frame of target.
        double waited = (now - slot.Arrival).TotalMilliseconds;
        if (waited < TargetDelayMs - 10)
        {
            return false;
        }

        _playing = true;
        _playTs = slot.Timestamp;
        _underrunFrames = 0;
        _concealedAhead = 0;
        _haveDelay = false;
        _delayMs = waited;
        return true;
    }

    private void ProduceChunk()
    {
        int next = IndexOfEarliestFrom(_playTs);
        if (next >= 0 && _slots[next].Timestamp - _playTs < _frameTs / 2)
        {
            var slot = _slots[next];
            _playTs = slot.Timestamp;
            RemoveSlot(next);
            _underrunFrames = 0;
            if (slot.IsComfortNoise)
            {
                _concealedAhead = 0;
                _comfortNoise.TryUpdate(slot.Payload);
                _comfortNoiseActive = true;
                AppendComfortNoise(_frameSamples);
                _playTs += _frameTs;
                return;
            }

            _concealedAhead = 0; // the packet we waited for came: the concealment played was extra delay
            int n = _decoder.Decode(slot.Payload, _decodeBuffer);
            if (n > 0)
            {
                _comfortNoiseActive = false;
                Append(_decodeBuffer.AsSpan(0, n * _channels));
                _playTs += (long)Math.Round(n * _tsPerSample);
                RememberPlayed(slot.Sequence);
                _decoded++;
                return;
            }

            // Undecodable payload: conceal its frame as if it were lost.
            Conceal(_frameSamples, advance: true);
            return;
        }

        if (next >= 0)
        {
            var later = _slots[next];
            long gap = later.Timestamp - _playTs;
            if (_concealedAhead > 0 && !_comfortNoiseActive)
            {
                // We ran dry waiting for the packet at _playTs and played concealment instead; a later packet has
                // now come, so that one is lost and the concealment already played stands in for it (the merge
                // step of NetEq): skip it rather than conceal it a second time, and take back the added delay.
                _concealedAhead--;
                _playTs += Math.Min(gap, _frameTs);
                _delayMs -= 20;
                return;
            }

            if (gap * 1000 / _rtpClockRate > _options.MaxConcealedGap.TotalMilliseconds)
            {
                // A new talk spurt or a sender jump: play it now rather than conceal the silence before it.
                _playTs = later.Timestamp;
                _concealedAhead = 0;
                _resyncs++;
                _haveDelay = false;
                return;
            }

            _underrunFrames = 0;
            if (_comfortNoiseActive)
            {
                int samples = (int)Math.Min(_frameSamples, gap / _tsPerSample);
                AppendComfortNoise(Math.Max(1, samples));
                _playTs += (long)Math.Round(Math.Max(1, samples) * _tsPerSample);
                return;
            }

            int lostSamples = (int)Math.Min(_frameSamples, Math.Max(1, gap / _tsPerSample));
            if (_decoder.SupportsFec && gap == _frameTs && !later.IsComfortNoise)
            {
                int n = _decoder.DecodeFec(later.Payload, _decodeBuffer, lostSamples);
                if (n > 0)
                {
                    Append(_decodeBuffer.AsSpan(0, n * _channels));
                    _playTs += (long)Math.Round(n * _tsPerSample);
                    _fec++;
                    Mark(JitterFrameKind.RecoveredByFec);
                    return;
                }
            }

            Conceal(lostSamples, advance: true);
            return;
        }

        // Nothing to play and nothing later: the network is late, or the talk spurt ended.
        if (_comfortNoiseActive)
        {
            AppendComfortNoise(_frameSamples);
            _playTs += _frameTs;
            return;
        }

        _underrunFrames++;
        if (_underrunFrames * 20 > _options.MaxUnderrun.TotalMilliseconds)
        {
            _concealedAhead = 0;
            _playing = false;
            _haveDelay = false;
            _delayMs = 0; // nothing is buffered while waiting for the next talk spurt
            return;
        }

        _underruns++;
        Conceal(_frameSamples, advance: false);
        _concealedAhead++;
        _delayMs += 20;
    }

    private void Conceal(int samples, bool advance)
    {
        int n = _decoder.Conceal(_decodeBuffer, samples);
        if (n <= 0)
        {
            n = samples;
            _decodeBuffer.AsSpan(0, n * _channels).Clear();
        }

        Append(_decodeBuffer.AsSpan(0, n * _channels));
        if (advance)
        {
            _playTs += (long)Math.Round(n * _tsPerSample);
        }

        _concealed++;
        Mark(JitterFrameKind.Concealed);
    }

    private void AppendComfortNoise(int samples)
    {
        var span = _decodeBuffer.AsSpan(0, samples * _channels);
        _comfortNoise.Generate(span);
        Append(span);
        _cng++;
        Mark(JitterFrameKind.ComfortNoise);
    }

    private void Mark(JitterFrameKind kind)
    {
        if (_frameKind == JitterFrameKind.Decoded || kind == JitterFrameKind.Concealed)
        {
            _frameKind = kind;
        }
    }

    private void AdjustDelay()
    {
        if (!_haveDelay || _comfortNoiseActive)
        {
            return;
        }

        double target = TargetDelayMs;
        double hysteresis = _options.Hysteresis.TotalMilliseconds;
        int frameLength = _frameSamples * _channels;
        if (_delayMs > target + hysteresis)
        {
            // Far above target (a burst after a stall, a spike that has passed): cut up to four periods per frame,
            // about doubling play-out speed for a moment; otherwise one period per frame, inaudible.
            int rounds = _delayMs > target + hysteresis + 60 ? 4 : 1;
            for (int round = 0; round < rounds && _delayMs > target + hysteresis; round++)
            {
                if (!CompressOnce(frameLength))
                {
                    break;
                }
            }
        }
        else if (_delayMs < target - (hysteresis / 2))
        {
            int room = _pcm.Length - _pcmCount;
            if (room > 0)
            {
                // Expand the frame about to play; the tail after it moves up by the inserted period.
                int head = Math.Min(_pcmCount, frameLength);
                int tail = _pcmCount - head;
                var work = _pcm.AsSpan(0, _pcm.Length - tail);
                if (tail > 0)
                {
                    _pcm.AsSpan(head, tail).CopyTo(_pcm.AsSpan(_pcm.Length - tail));
                }

                int inserted = TimeStretcher.Expand(work, head, _channels, SampleRate);
                int newHead = head + (inserted * _channels);
                if (tail > 0)
                {
                    _pcm.AsSpan(_pcm.Length - tail, tail).CopyTo(_pcm.AsSpan(newHead));
                }

                _pcmCount = newHead + tail;
                if (inserted > 0)
                {
                    _expanded += inserted;
                    _delayMs += inserted * 1000.0 / SampleRate;
                }
            }
        }
    }

    private bool CompressOnce(int frameLength)
    {
        // Make sure there is more than a frame to cut from: decode ahead if the next packet is here.
        if (_pcmCount < 2 * frameLength)
        {
            int next = IndexOfEarliestFrom(_playTs);
            if (next >= 0 && _slots[next].Timestamp - _playTs < _frameTs / 2)
            {
                ProduceChunk();
            }
        }

        int limit = _pcmCount - frameLength; // keep a whole frame after cutting
        if (limit <= 0)
        {
            return false;
        }

        int prefix = Math.Min(_pcmCount, 2 * limit);
        int removed = TimeStretcher.Compress(_pcm, prefix, _channels, SampleRate);
        if (removed == 0)
        {
            return false;
        }

        // Compress worked on a prefix; move the untouched tail down behind it.
        _pcm.AsSpan(prefix, _pcmCount - prefix).CopyTo(_pcm.AsSpan(prefix - (removed * _channels)));
        _pcmCount -= removed * _channels;
        _compressed += removed;
        _delayMs -= removed * 1000.0 / SampleRate;
        return true;
    }

    private void Append(ReadOnlySpan<short> samples)
    {
        int n = Math.Min(samples.Length, _pcm.Length - _pcmCount);
        samples[..n].CopyTo(_pcm.AsSpan(_pcmCount));
        _pcmCount += n;
    }

    private void TakeFrame(Span<short> output)
    {
        int n = Math.Min(output.Length, _pcmCount);
        _pcm.AsSpan(0, n).CopyTo(output);
        output[n..].Clear();
        _pcm.AsSpan(n, _pcmCount - n).CopyTo(_pcm);
        _pcmCount -= n;
    }

    private int IndexOfOldest()
    {
        int best = -1;
        for (int i = 0; i < _slotCount; i++)
        {
            if (best < 0 || _slots[i].Timestamp < _slots[best].Timestamp)
            {
                best = i;
            }
        }

        return best;
    }

    private int IndexOfEarliestFrom(long ts)
    {
        int best = -1;
        for (int i = 0; i < _slotCount; i++)
        {
            long t = _slots[i].Timestamp;
            if (t + (_frameTs / 2) <= ts)
            {
                // Behind the play-out point (overtaken while waiting): late.
                RemoveSlot(i);
                _late++;
                i--;
                continue;
            }

            if (best < 0 || t < _slots[best].Timestamp)
            {
                best = i;
            }
        }

        return best;
    }

    private void RemoveSlot(int index)
    {
        _slotCount--;
        (_slots[index], _slots[_slotCount]) = (_slots[_slotCount], _slots[index]);
    }

    private void RememberPlayed(long seq)
    {
        _playedSequences[_playedNext] = seq;
        _playedNext = (_playedNext + 1) % _playedSequences.Length;
    }

    private bool WasPlayed(long seq) => Array.IndexOf(_playedSequences, seq) >= 0;

    private sealed class Slot(int capacity)
    {
        private readonly byte[] _payload = new byte[capacity];
        private int _length;

        public long Sequence { get; private set; } = long.MinValue;

        public long Timestamp { get; private set; }

        public TimeSpan Arrival { get; private set; }

        public bool IsComfortNoise { get; private set; }

        public ReadOnlySpan<byte> Payload => _payload.AsSpan(0, _length);

        public void Set(in RtpPacket packet, long sequence, long timestamp, TimeSpan arrival, bool comfortNoise)
        {
            packet.Payload.CopyTo(_payload);
            _length = packet.Payload.Length;
            Sequence = sequence;
            Timestamp = timestamp;
            Arrival = arrival;
            IsComfortNoise = comfortNoise;
        }
    }
}

namespace MediaServer.Pipeline.Interruptions;

/// <summary>
/// What the agent sent, at 16 kHz, placed on the session's input timeline where it is (or will be) played: the
/// reference an echo gate compares the microphone with. Audio is scheduled after what is already queued, or now when
/// the queue has drained, which is how both a paced call leg and a WebSocket client play it. A barge-in flushes what
/// was scheduled after "now". Storage is a power-of-two ring that grows (rarely, not per frame) while a WebSocket
/// client is sent speech faster than real time, up to <see cref="MaxCapacity"/>.
/// </summary>
public sealed class EchoReference
{
    /// <summary>About 131 s at 16 kHz: more speech than any response queues ahead.</summary>
    public const int MaxCapacity = 1 << 21;

    /// <summary>History kept behind "now" for the echo search (longest delay plus a window), 2 s.</summary>
    private const int PastKept = 32_768;

    private short[] _ring = new short[1 << 16];
    private long _validFrom;
    private long _end;

    // Timeline sample just after the last one held: below _end when a full ring dropped the far end of the audio.
    private long _stored;

    /// <summary>Timeline sample (16 kHz) just after the last scheduled reference sample.</summary>
    public long EndSample => _end;

    /// <summary>Earliest timeline sample still held.</summary>
    public long StartSample => _validFrom;

    /// <summary>
    /// Schedules <paramref name="pcm16k"/> after what is queued, or at <paramref name="nowSample"/> when nothing is
    /// queued any more; returns the timeline sample where it starts.
    /// </summary>
    public long Append(ReadOnlySpan<short> pcm16k, long nowSample)
    {
        long start = Math.Max(_end, nowSample);
        if (_end == 0 && _validFrom == 0)
        {
            _validFrom = start;
        }

        // The echo search looks back at most PastKept from now: older audio can go.
        _validFrom = Math.Max(_validFrom, nowSample - PastKept);
        long newEnd = start + pcm16k.Length;
        EnsureCapacity(newEnd - _validFrom);

        // A full ring keeps what is (or will soon be) playing and drops the far end of what was sent ahead: a client
        // sent minutes of speech in seconds (synthesis runs tens of times faster than real time) must not push the
        // audio it is playing now out of the reference, or its echo reads as the user speaking.
        long windowEnd = _validFrom + _ring.Length;
        int mask = _ring.Length - 1;
        for (long s = Math.Max(_stored, _validFrom); s < Math.Min(start, windowEnd); s++)
        {
            _ring[s & mask] = 0; // silence between the last audio held and this one
        }

        int kept = (int)Math.Clamp(windowEnd - start, 0, pcm16k.Length);
        for (int i = 0; i < kept; i++)
        {
            _ring[(start + i) & mask] = pcm16k[i];
        }

        if (kept > 0)
        {
            _stored = start + kept;
        }

        _end = newEnd;
        return start;
    }

    /// <summary>Barge-in: audio scheduled after <paramref name="nowSample"/> will never be played.</summary>
    public void Flush(long nowSample)
    {
        if (_end > nowSample)
        {
            _end = Math.Max(nowSample, _validFrom);
            _stored = Math.Min(_stored, _end);
        }
    }

    /// <summary>Copies the reference from <paramref name="fromSample"/>; samples never scheduled read as silence.</summary>
    public void Read(long fromSample, Span<short> destination)
    {
        int mask = _ring.Length - 1;
        for (int i = 0; i < destination.Length; i++)
        {
            long s = fromSample + i;
            destination[i] = s >= _validFrom && s < _stored ? _ring[s & mask] : (short)0;
        }
    }

    /// <summary>Same as <see cref="Read(long, Span{short})"/> into floats.</summary>
    public void Read(long fromSample, Span<float> destination)
    {
        int mask = _ring.Length - 1;
        for (int i = 0; i < destination.Length; i++)
        {
            long s = fromSample + i;
            destination[i] = s >= _validFrom && s < _stored ? _ring[s & mask] : 0f;
        }
    }

    /// <summary>True when any reference audio lies in [<paramref name="fromSample"/>, <paramref name="toSample"/>).</summary>
    public bool Overlaps(long fromSample, long toSample) => _end > _validFrom && toSample > _validFrom && fromSample < _end;

    private void EnsureCapacity(long needed)
    {
        if (needed <= _ring.Length || _ring.Length >= MaxCapacity)
        {
            return;
        }

        int size = _ring.Length;
        while (size < needed && size < MaxCapacity)
        {
            size *= 2;
        }

        var grown = new short[size];
        int oldMask = _ring.Length - 1;
        for (long s = _validFrom; s < _stored; s++)
        {
            grown[s & (size - 1)] = _ring[s & oldMask];
        }

        _ring = grown;
    }
}

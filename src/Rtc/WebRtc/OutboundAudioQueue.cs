namespace MediaServer.Rtc.WebRtc;

/// <summary>
/// Agent PCM waiting to be sent: a ring buffer that grows by doubling up to a cap (then the oldest samples go),
/// read one 20 ms frame per media clock tick. Thread-safe; <see cref="Clear"/> is the barge-in path.
/// </summary>
internal sealed class OutboundAudioQueue
{
    private readonly object _lock = new();
    private readonly int _capacityLimit;
    private short[] _buffer = new short[48000];
    private int _start;
    private int _count;

    public OutboundAudioQueue(int maxSamples) => _capacityLimit = Math.Max(960, maxSamples);

    /// <summary>Samples queued.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Samples dropped because the queue was full.</summary>
    public long Overflowed { get; private set; }

    public void Enqueue(ReadOnlySpan<short> pcm)
    {
        lock (_lock)
        {
            if (pcm.Length > _capacityLimit)
            {
                Overflowed += pcm.Length - _capacityLimit;
                pcm = pcm[^_capacityLimit..];
            }

            if (_count + pcm.Length > _buffer.Length)
            {
                Grow(_count + pcm.Length);
            }

            int overflow = _count + pcm.Length - _buffer.Length;
            if (overflow > 0)
            {
                _start = (_start + overflow) % _buffer.Length;
                _count -= overflow;
                Overflowed += overflow;
            }

            int tail = (_start + _count) % _buffer.Length;
            int first = Math.Min(pcm.Length, _buffer.Length - tail);
            pcm[..first].CopyTo(_buffer.AsSpan(tail));
            pcm[first..].CopyTo(_buffer);
            _count += pcm.Length;
        }
    }

    /// <summary>Takes exactly <c>frame.Length</c> samples; false (nothing taken) when fewer are queued.</summary>
    public bool TryDequeue(Span<short> frame, bool padPartial)
    {
        lock (_lock)
        {
            if (_count == 0 || (_count < frame.Length && !padPartial))
            {
                return false;
            }

            int n = Math.Min(frame.Length, _count);
            int first = Math.Min(n, _buffer.Length - _start);
            _buffer.AsSpan(_start, first).CopyTo(frame);
            _buffer.AsSpan(0, n - first).CopyTo(frame[first..]);
            frame[n..].Clear();
            _start = (_start + n) % _buffer.Length;
            _count -= n;
            return true;
        }
    }

    /// <summary>Drops everything; returns how many samples were dropped.</summary>
    public int Clear()
    {
        lock (_lock)
        {
            int n = _count;
            _count = 0;
            _start = 0;
            return n;
        }
    }

    private void Grow(int needed)
    {
        int size = _buffer.Length;
        while (size < needed && size < _capacityLimit)
        {
            size = Math.Min(size * 2, _capacityLimit);
        }

        if (size == _buffer.Length)
        {
            return;
        }

        var bigger = new short[size];
        int first = Math.Min(_count, _buffer.Length - _start);
        _buffer.AsSpan(_start, first).CopyTo(bigger);
        _buffer.AsSpan(0, _count - first).CopyTo(bigger.AsSpan(first));
        _buffer = bigger;
        _start = 0;
    }
}

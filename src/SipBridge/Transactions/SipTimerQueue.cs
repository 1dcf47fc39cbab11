namespace MediaServer.SipBridge.Transactions;

/// <summary>
/// Every SIP timer (A-K, 2xx retransmission, session refresh) on ONE underlying <see cref="ITimer"/>: entries sit
/// in a priority queue by due time and the single timer is re-armed for the earliest. Callbacks run under the
/// stack's lock, so transaction state machines need no locking of their own. <see cref="TimeProvider"/> is injected
/// so tests drive time with <c>FakeTimeProvider</c>.
/// </summary>
public sealed class SipTimerQueue : IDisposable
{
    private readonly TimeProvider _time;
    private readonly object _sync;
    private readonly PriorityQueue<Entry, long> _queue = new();
    private readonly ITimer _timer;
    private long _armedFor = long.MaxValue;

    public SipTimerQueue(TimeProvider time, object sync)
    {
        _time = time;
        _sync = sync;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Entries not yet fired or cancelled (cancelled ones are purged lazily).</summary>
    public int Pending
    {
        get
        {
            lock (_sync)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> under the stack lock.</summary>
    public Entry Schedule(TimeSpan delay, Action action)
    {
        lock (_sync)
        {
            long due = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            var entry = new Entry(action);
            _queue.Enqueue(entry, due);
            if (due < _armedFor)
            {
                Arm(due);
            }

            return entry;
        }
    }

    private void Arm(long due)
    {
        _armedFor = due;
        long now = _time.GetTimestamp();
        var delay = TimeSpan.FromSeconds(Math.Max(0, due - now) / (double)_time.TimestampFrequency);
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void Fire()
    {
        lock (_sync)
        {
            _armedFor = long.MaxValue;
            long now = _time.GetTimestamp();
            while (_queue.TryPeek(out var entry, out long due) && due <= now)
            {
                _queue.Dequeue();
                if (!entry.Cancelled)
                {
                    entry.Cancelled = true;
                    entry.Action();
                }
            }

            if (_queue.TryPeek(out _, out long next))
            {
                Arm(next);
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>A scheduled callback; <see cref="Cancel"/> stops it from running.</summary>
    public sealed class Entry(Action action)
    {
        internal Action Action { get; } = action;

        internal bool Cancelled { get; set; }

        public void Cancel() => Cancelled = true;
    }
}

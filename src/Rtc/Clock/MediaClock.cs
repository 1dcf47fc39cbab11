using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Rtc.Clock;

/// <summary>
/// The one monotonic media clock of a process: a single loop that wakes every 20 ms and calls its subscribers,
/// so that a thousand calls cost one timer, not a thousand. Tick n is scheduled at <c>start + n × interval</c>
/// on the <see cref="TimeProvider"/>'s monotonic timestamp, never relative to the previous wake-up, so scheduling
/// latency does not accumulate: over hours the tick count matches elapsed time exactly. Subscribers are spread
/// over shards (see <see cref="MediaClockOptions.Shards"/>); within a shard they run in subscription order.
/// </summary>
public sealed class MediaClock : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MediaClockOptions _options;
    private readonly Shard[] _shards;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private long _startTimestamp;
    private Task? _loop;
    private long _tickIndex = -1;
    private int _nextShard;
    private long _nextTick;

    public MediaClock(TimeProvider? timeProvider = null, MediaClockOptions? options = null, ILogger<MediaClock>? logger = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _options = options ?? new MediaClockOptions();
        _options.Validate();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _shards = new Shard[_options.Shards];
        for (int i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new Shard(this);
        }
    }

    public TimeSpan Interval => _options.Interval;

    /// <summary>The last tick fired, -1 before the first.</summary>
    public long TickIndex => Interlocked.Read(ref _tickIndex);

    /// <summary>Ticks dropped after stalls longer than the catch-up allowance.</summary>
    public long SkippedTicks { get; private set; }

    /// <summary>Subscriber exceptions caught (the subscriber stays subscribed).</summary>
    public long SubscriberFaults => _shards.Sum(s => Interlocked.Read(ref s.Faults));

    /// <summary>Time since <see cref="Start"/> on the clock's monotonic time line.</summary>
    public TimeSpan Elapsed => _loop is null ? TimeSpan.Zero : _time.GetElapsedTime(_startTimestamp);

    /// <summary>
    /// Raised on the clock loop after every subscriber has run a tick, with how long after the tick's deadline that
    /// was: the media path's frame delay under load (the host records it as a metric). Handlers must be cheap.
    /// </summary>
    public event Action<MediaClockTick, TimeSpan>? TickProcessed;

    /// <summary>Number of subscribers.</summary>
    public int SubscriberCount => _shards.Sum(s => s.Subscribers.Length);

    /// <summary>Starts the loop (idempotent).</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_loop is not null)
            {
                return;
            }

            _startTimestamp = _time.GetTimestamp();
            _loop = Task.Run(() => RunAsync(_stop.Token));
        }
    }

    /// <summary>Adds a subscriber; dispose the result to remove it. Safe from any thread, including from a tick.</summary>
    public IDisposable Subscribe(IMediaClockSubscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_gate)
        {
            var shard = _shards[_nextShard];
            _nextShard = (_nextShard + 1) % _shards.Length;
            shard.Subscribers = [.. shard.Subscribers, subscriber];
            return new Subscription(this, shard, subscriber);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private void Unsubscribe(Shard shard, IMediaClockSubscriber subscriber)
    {
        lock (_gate)
        {
            shard.Subscribers = [.. shard.Subscribers.Where(s => !ReferenceEquals(s, subscriber))];
        }
    }

    private async Task RunAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            TimeSpan now = _time.GetElapsedTime(_startTimestamp);
            TimeSpan nextDue = FireDue(now);
            now = _time.GetElapsedTime(_startTimestamp);
            if (nextDue > now)
            {
                await Task.Delay(nextDue - now, _time, cancellation).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Fires every tick due at <paramref name="now"/> (clock time since start) and returns when the next one is
    /// due. After a stall it fires at most <see cref="MediaClockOptions.MaxCatchUpTicks"/> missed ticks back to
    /// back and skips the rest. The loop calls it; tests call it directly with chosen times.
    /// </summary>
    internal TimeSpan FireDue(TimeSpan now)
    {
        long intervalTicks = _options.Interval.Ticks;
        long next = _nextTick;
        TimeSpan due = TimeSpan.FromTicks(next * intervalTicks);
        if (now < due)
        {
            return due;
        }

        long behind = (now - due).Ticks / intervalTicks;
        if (behind > _options.MaxCatchUpTicks)
        {
            long skip = behind - _options.MaxCatchUpTicks;
            SkippedTicks += skip;
            next += skip;
            MediaClockLog.TicksSkipped(_logger, skip);
        }

        while (TimeSpan.FromTicks(next * intervalTicks) <= now)
        {
            due = TimeSpan.FromTicks(next * intervalTicks);
            FireOne(new MediaClockTick(next, due, now - due));
            next++;
        }

        _nextTick = next;
        return TimeSpan.FromTicks(next * intervalTicks);
    }

    private void FireOne(in MediaClockTick tick)
    {
        Interlocked.Exchange(ref _tickIndex, tick.Index);
        for (int i = 1; i < _shards.Length; i++)
        {
            _shards[i].Queue(tick);
        }

        _shards[0].Run(tick);
        for (int i = 1; i < _shards.Length; i++)
        {
            _shards[i].WaitIdle();
        }

        TickProcessed?.Invoke(tick, _time.GetElapsedTime(_startTimestamp) - tick.Due);
    }

    private sealed class Shard(MediaClock clock) : IThreadPoolWorkItem
    {
        public volatile IMediaClockSubscriber[] Subscribers = [];
        public long Faults;
        private readonly ManualResetEventSlim _idle = new(true);
        private MediaClockTick _tick;

        public void Queue(in MediaClockTick tick)
        {
            if (Subscribers.Length == 0)
            {
                return;
            }

            _tick = tick;
            _idle.Reset();
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        public void WaitIdle() => _idle.Wait();

        public void Execute()
        {
            try
            {
                Run(_tick);
            }
            finally
            {
                _idle.Set();
            }
        }

        public void Run(in MediaClockTick tick)
        {
            foreach (var subscriber in Subscribers)
            {
                try
                {
                    subscriber.OnTick(tick);
                }
                catch (Exception ex)
                {
                    // One call's bug must not stop the clock for every other call.
                    Interlocked.Increment(ref Faults);
                    MediaClockLog.SubscriberFailed(clock._logger, ex, subscriber.GetType().Name, tick.Index);
                }
            }
        }
    }

    private sealed class Subscription(MediaClock clock, Shard shard, IMediaClockSubscriber subscriber) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                clock.Unsubscribe(shard, subscriber);
            }
        }
    }
}

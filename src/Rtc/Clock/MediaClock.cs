using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Rtc.Clock;

/// <summary>
/// The one monotonic media clock of a process: a single loop that wakes every 20 ms and calls its subscribers,
/// so that a thousand calls cost one timer, not a thousand. The loop and each shard run on threads of their own, not
/// the thread pool: recognition and synthesis can occupy every pool thread for hundreds of milliseconds, and a frame
/// must not queue behind them (the pool adds threads only about twice a second). Those threads ask for a higher
/// scheduling priority (<see cref="MediaClockOptions.ThreadNice"/>) and allocate nothing per tick.
/// Tick n is scheduled at <c>start + n × interval</c> on the <see cref="TimeProvider"/>'s monotonic timestamp, never relative to the previous wake-up, so scheduling
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
    private readonly ManualResetEventSlim _timerFired = new(false);
    private Thread? _thread;
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
    public TimeSpan Elapsed => _thread is null ? TimeSpan.Zero : _time.GetElapsedTime(_startTimestamp);

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
            if (_thread is not null)
            {
                return;
            }

            _startTimestamp = _time.GetTimestamp();
            _thread = new Thread(Run) { IsBackground = true, Name = "media-clock" };
            _thread.Start();
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
        var thread = _thread;
        if (thread is not null && thread != Thread.CurrentThread)
        {
            // The loop wakes on the cancellation at once; join off the caller's thread all the same.
            await Task.Run(thread.Join).ConfigureAwait(false);
        }

        foreach (var shard in _shards)
        {
            shard.Stop();
        }

        if (thread is null || thread != Thread.CurrentThread)
        {
            _stop.Dispose();
            _timerFired.Dispose();
        }
    }

    private void Unsubscribe(Shard shard, IMediaClockSubscriber subscriber)
    {
        lock (_gate)
        {
            shard.Subscribers = [.. shard.Subscribers.Where(s => !ReferenceEquals(s, subscriber))];
        }
    }

    private void Run()
    {
        MediaThreadPriority.TryRaise(_options.ThreadNice, _logger);
        var cancellation = _stop.Token;
        while (!cancellation.IsCancellationRequested)
        {
            TimeSpan now = _time.GetElapsedTime(_startTimestamp);
            TimeSpan nextDue = FireDue(now);
            now = _time.GetElapsedTime(_startTimestamp);
            if (nextDue > now)
            {
                Wait(nextDue - now, cancellation);
            }
        }
    }

    /// <summary>
    /// Sleeps until the next tick is due or the clock stops. On the system clock this is one timed kernel wait,
    /// rounded up to the millisecond (a tick is at most 1 ms late, never early); on any other time provider (tests'
    /// fake time) it waits for a timer of that provider, which allocates, but only there.
    /// </summary>
    private void Wait(TimeSpan delay, CancellationToken cancellation)
    {
        if (ReferenceEquals(_time, TimeProvider.System))
        {
            int milliseconds = (int)Math.Ceiling(delay.TotalMilliseconds);
            cancellation.WaitHandle.WaitOne(milliseconds);
            return;
        }

        _timerFired.Reset();
        using var timer = _time.CreateTimer(static state => ((ManualResetEventSlim)state!).Set(), _timerFired, delay, Timeout.InfiniteTimeSpan);
        try
        {
            _timerFired.Wait(cancellation);
        }
        catch (OperationCanceledException)
        {
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

        try
        {
            TickProcessed?.Invoke(tick, _time.GetElapsedTime(_startTimestamp) - tick.Due);
        }
        catch (Exception ex)
        {
            // The clock runs on its own thread: an observer's bug must neither stop it nor end the process.
            MediaClockLog.SubscriberFailed(_logger, ex, nameof(TickProcessed), tick.Index);
        }
    }

    /// <summary>
    /// A slice of the subscribers. Shards other than 0 run on a thread of their own, started the first time the
    /// shard has work; the clock hands it a tick and waits until it is idle again.
    /// </summary>
    private sealed class Shard(MediaClock clock)
    {
        public volatile IMediaClockSubscriber[] Subscribers = [];
        public long Faults;
        private readonly ManualResetEventSlim _idle = new(true);
        private readonly ManualResetEventSlim _work = new(false);
        private Thread? _thread;
        private volatile bool _stopping;
        private MediaClockTick _tick;

        public void Queue(in MediaClockTick tick)
        {
            if (Subscribers.Length == 0 || _stopping)
            {
                return;
            }

            _tick = tick;
            _idle.Reset();
            if (_thread is null)
            {
                // Only the clock's loop (or a test playing the clock) queues, one tick at a time: no race here.
                _thread = new Thread(Loop) { IsBackground = true, Name = "media-clock-shard" };
                _thread.Start();
            }

            _work.Set();
        }

        public void WaitIdle() => _idle.Wait();

        public void Stop()
        {
            _stopping = true;
            _work.Set();
            if (_thread is not null && _thread != Thread.CurrentThread)
            {
                _thread.Join();
            }
        }

        private void Loop()
        {
            MediaThreadPriority.TryRaise(clock._options.ThreadNice, clock._logger);
            while (true)
            {
                _work.Wait();
                _work.Reset();
                if (_stopping)
                {
                    _idle.Set();
                    return;
                }

                try
                {
                    Run(_tick);
                }
                finally
                {
                    _idle.Set();
                }
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

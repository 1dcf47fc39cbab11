using MediaServer.Rtc.Clock;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Rtc.Tests.Clock;

public sealed class MediaClockTests
{
    private sealed class Recorder : IMediaClockSubscriber
    {
        public readonly List<MediaClockTick> Ticks = [];
        public readonly SemaphoreSlim Signal = new(0);

        public void OnTick(in MediaClockTick tick)
        {
            lock (Ticks)
            {
                Ticks.Add(tick);
            }

            Signal.Release();
        }
    }

    private sealed class Thrower : IMediaClockSubscriber
    {
        public void OnTick(in MediaClockTick tick) => throw new InvalidOperationException("boom");
    }

    [Fact]
    public void Ticks_follow_absolute_deadlines_without_drift_over_an_hour()
    {
        // Wake-ups come 0-7 ms late at random, as an OS timer would; after one simulated hour the clock must
        // have fired exactly 180,000 ticks, each stamped with its exact due time.
        var clock = new MediaClock(options: new MediaClockOptions { Shards = 1 });
        var recorder = new Recorder();
        clock.Subscribe(recorder);
        var random = new Random(3);
        TimeSpan now = TimeSpan.Zero;
        TimeSpan hour = TimeSpan.FromHours(1);
        while (now < hour)
        {
            TimeSpan due = clock.FireDue(now);
            now = due + TimeSpan.FromMilliseconds(random.NextDouble() * 7);
        }

        clock.FireDue(hour);
        Assert.Equal(180_001, recorder.Ticks.Count); // ticks 0..180000 inclusive
        for (int i = 0; i < recorder.Ticks.Count; i++)
        {
            Assert.Equal(i, recorder.Ticks[i].Index);
            Assert.Equal(TimeSpan.FromMilliseconds(20 * (long)i), recorder.Ticks[i].Due);
        }

        Assert.Equal(0, clock.SkippedTicks);
    }

    [Fact]
    public void A_stall_catches_up_a_little_then_skips()
    {
        var clock = new MediaClock(options: new MediaClockOptions { Shards = 1, MaxCatchUpTicks = 5 });
        var recorder = new Recorder();
        clock.Subscribe(recorder);
        clock.FireDue(TimeSpan.Zero);
        clock.FireDue(TimeSpan.FromMilliseconds(1000)); // a 1 s stall: 50 ticks missed
        Assert.Equal(44, clock.SkippedTicks); // ticks 1..44
        Assert.Equal(1 + 6, recorder.Ticks.Count); // tick 0, then ticks 45..50 back to back (5 catch-up plus the current one)
        Assert.Equal(50, recorder.Ticks[^1].Index);
        Assert.Equal(TimeSpan.FromMilliseconds(1020), clock.FireDue(TimeSpan.FromMilliseconds(1005)));
    }

    [Fact]
    public void Subscribers_on_every_shard_get_every_tick_and_a_faulty_one_does_not_stop_others()
    {
        var clock = new MediaClock(options: new MediaClockOptions { Shards = 3 });
        var recorders = Enumerable.Range(0, 7).Select(_ => new Recorder()).ToList();
        clock.Subscribe(new Thrower());
        var subscriptions = recorders.Select(clock.Subscribe).ToList();
        Assert.Equal(8, clock.SubscriberCount);
        clock.FireDue(TimeSpan.FromMilliseconds(99)); // ticks 0..4
        Assert.All(recorders, r => Assert.Equal(5, r.Ticks.Count));
        Assert.Equal(5, clock.SubscriberFaults);

        subscriptions[0].Dispose();
        subscriptions[0].Dispose();
        clock.FireDue(TimeSpan.FromMilliseconds(100));
        Assert.Equal(5, recorders[0].Ticks.Count);
        Assert.Equal(6, recorders[1].Ticks.Count);
        Assert.Equal(7, clock.SubscriberCount);
    }

    [Fact]
    public async Task Loop_runs_on_the_injected_time_provider()
    {
        var time = new FakeTimeProvider();
        await using var clock = new MediaClock(time, new MediaClockOptions { Shards = 2 });
        var recorder = new Recorder();
        clock.Subscribe(recorder);
        clock.Start();
        Assert.True(await recorder.Signal.WaitAsync(TimeSpan.FromSeconds(10))); // tick 0 at start
        for (int i = 1; i <= 10; i++)
        {
            // Advance until the loop has armed its delay and the tick fires.
            while (!await recorder.Signal.WaitAsync(TimeSpan.FromMilliseconds(5)))
            {
                time.Advance(TimeSpan.FromMilliseconds(20));
            }
        }

        Assert.True(clock.TickIndex >= 10, $"tick {clock.TickIndex}");
        lock (recorder.Ticks)
        {
            Assert.Equal(Enumerable.Range(0, recorder.Ticks.Count).Select(i => (long)i), recorder.Ticks.Select(t => t.Index));
        }
    }

    private sealed class ThreadProbe : IMediaClockSubscriber
    {
        public readonly TaskCompletionSource<(bool Pool, string? Name, int? Nice)> Seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnTick(in MediaClockTick tick) =>
            Seen.TrySetResult((Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name, MediaThreadPriority.Current()));
    }

    [Fact]
    public async Task Every_shard_ticks_on_a_clock_thread_of_its_own_at_raised_priority_when_permitted()
    {
        // Recognition and synthesis may hold every pool thread; a tick that needed one would wait behind them.
        await using var clock = new MediaClock(options: new MediaClockOptions { Shards = 2, ThreadNice = -5 });
        var probes = new[] { new ThreadProbe(), new ThreadProbe() };
        foreach (var probe in probes)
        {
            clock.Subscribe(probe); // round robin: one per shard
        }

        clock.Start();
        foreach (var probe in probes)
        {
            var (pool, name, nice) = await probe.Seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.False(pool);
            Assert.StartsWith("media-clock", name);
            if (OperatingSystem.IsLinux())
            {
                // Root (CI, tests here) may raise priority; an unprivileged user keeps the default nice of 0.
                Assert.Equal(Environment.IsPrivilegedProcess ? -5 : 0, nice);
            }
        }
    }

    [Fact]
    public async Task Disposing_stops_every_clock_thread()
    {
        var clock = new MediaClock(options: new MediaClockOptions { Shards = 3 });
        var recorders = new[] { new Recorder(), new Recorder(), new Recorder() };
        foreach (var recorder in recorders)
        {
            clock.Subscribe(recorder);
        }

        clock.Start();
        foreach (var recorder in recorders)
        {
            Assert.True(await recorder.Signal.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        await clock.DisposeAsync();
        long last = clock.TickIndex;
        int counted = recorders.Sum(r => r.Ticks.Count);
        await Task.Delay(100);
        Assert.Equal(last, clock.TickIndex);
        Assert.Equal(counted, recorders.Sum(r => r.Ticks.Count));
    }
}

using MediaServer.Rtc.Clock;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Tools;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Signaling.Tests.Realtime.Tools;

/// <summary>
/// The tool-wait silence keep-alive runs on the process's one media clock (no timer of its own): it subscribes for
/// the wait, tops the leg's queue up on each clock tick without allocating, and unsubscribes when the wait ends.
/// </summary>
public sealed class SilenceKeepAliveTests
{
    /// <summary>
    /// A leg whose sender is itself a media clock subscriber, as WebRTC's peer connection is: one 20 ms frame per
    /// tick, counting ticks that found the queue empty.
    /// </summary>
    private sealed class ClockedLeg : ICallMediaLeg, IMediaClockSubscriber
    {
        private readonly Lock _gate = new();
        private int _queued;

        public int EmptyTicks { get; private set; }

        public int SentFrames { get; private set; }

        public string Transport => "webrtc";

        public string Codec => "opus";

        public int InputSampleRate => 48_000;

        public int OutputSampleRate => 48_000;

        public TimeSpan QueuedOutput
        {
            get
            {
                lock (_gate)
                {
                    return TimeSpan.FromSeconds(_queued / 48_000.0);
                }
            }
        }

        public void Start(ICallMediaSink sink)
        {
        }

        public void EnqueueOutput(ReadOnlySpan<short> pcm)
        {
            lock (_gate)
            {
                _queued += pcm.Length;
            }
        }

        public ValueTask HangUpAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public TimeSpan ClearOutput()
        {
            lock (_gate)
            {
                var dropped = TimeSpan.FromSeconds(_queued / 48_000.0);
                _queued = 0;
                return dropped;
            }
        }

        public void OnTick(in MediaClockTick tick)
        {
            lock (_gate)
            {
                if (_queued == 0)
                {
                    EmptyTicks++;
                    return;
                }

                _queued = Math.Max(0, _queued - 960);
                SentFrames++;
            }
        }
    }

    /// <summary>
    /// A started media clock on fake time, stepped one tick at a time. Time moves only once the clock's loop has
    /// armed its delay for the next tick (an advance before that would push the tick a whole interval out).
    /// </summary>
    private sealed class SteppedClock : IAsyncDisposable
    {
        private readonly ArmedTimeProvider _time = new();
        private readonly SemaphoreSlim _processed = new(0);

        public SteppedClock(int shards)
        {
            Clock = new MediaClock(_time, new MediaClockOptions { Shards = shards });
            Clock.TickProcessed += (_, _) => _processed.Release();
        }

        public MediaClock Clock { get; }

        /// <summary>Starts the loop; tick 0 fires at once.</summary>
        public void Start()
        {
            Clock.Start();
            Assert.True(_processed.Wait(TimeSpan.FromSeconds(10)), "tick 0 never fired");
        }

        public void Step(int ticks)
        {
            for (int i = 0; i < ticks; i++)
            {
                Assert.True(_time.Armed.Wait(TimeSpan.FromSeconds(10)), "the clock never armed its next tick");
                _time.Fake.Advance(Clock.Interval);
                Assert.True(_processed.Wait(TimeSpan.FromSeconds(10)), $"tick {Clock.TickIndex + 1} never fired");
            }
        }

        public async ValueTask DisposeAsync() => await Clock.DisposeAsync();
    }

    /// <summary>Fake time that signals each timer created (the clock's loop creates one per wait).</summary>
    private sealed class ArmedTimeProvider : TimeProvider
    {
        public FakeTimeProvider Fake { get; } = new();

        public SemaphoreSlim Armed { get; } = new(0);

        public override long TimestampFrequency => Fake.TimestampFrequency;

        public override long GetTimestamp() => Fake.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = Fake.CreateTimer(callback, state, dueTime, period);
            Armed.Release();
            return timer;
        }
    }

    [Fact]
    public async Task While_the_wait_lasts_every_shared_clock_tick_finds_a_frame_to_send()
    {
        // Two shards: the sender and the keep-alive run on different threads, in either order within a tick.
        await using var stepped = new SteppedClock(shards: 2);
        var leg = new ClockedLeg();
        using var sender = stepped.Clock.Subscribe(leg);
        using var stop = new CancellationTokenSource();
        var keepAlive = SilenceKeepAlive.Start(leg, stepped.Clock, waitForDrain: false, stop.Token);
        Assert.Equal(2, stepped.Clock.SubscriberCount);

        stepped.Start();
        stepped.Step(149); // three seconds of media clock: ticks 0..149

        Assert.Equal(0, leg.EmptyTicks);
        Assert.Equal(150, leg.SentFrames);
        Assert.True(leg.QueuedOutput <= TimeSpan.FromMilliseconds(40), $"silence piled up ahead of the clock: {leg.QueuedOutput}");
        Assert.InRange(keepAlive.FramesQueued, 150, 152); // one frame per tick, plus the two queued ahead

        // The wait ends: the keep-alive leaves the clock, and the sender runs dry within the frames queued ahead.
        await stop.CancelAsync();
        Assert.Equal(1, stepped.Clock.SubscriberCount);
        int queued = keepAlive.FramesQueued;
        stepped.Step(10);
        Assert.Equal(queued, keepAlive.FramesQueued);
        Assert.InRange(leg.EmptyTicks, 8, 10);
    }

    [Fact]
    public async Task With_wait_for_drain_the_agents_audio_plays_out_before_any_silence_is_added()
    {
        // One shard: subscribers run in subscription order, the sender (subscribed at call setup) first.
        await using var stepped = new SteppedClock(shards: 1);
        var leg = new ClockedLeg();
        using var sender = stepped.Clock.Subscribe(leg);
        leg.EnqueueOutput(new short[48_000 / 50 * 10]); // 200 ms of agent speech still queued
        using var stop = new CancellationTokenSource();
        var keepAlive = SilenceKeepAlive.Start(leg, stepped.Clock, waitForDrain: true, stop.Token);

        stepped.Start();
        stepped.Step(9); // ticks 0..9 send the speech
        Assert.Equal(10, leg.SentFrames);
        Assert.Equal(0, keepAlive.FramesQueued);

        // The queue stays empty for a few ticks (output_audio_buffer.stopped is polled then), then silence flows.
        stepped.Step(SilenceKeepAlive.QuietTicksBeforeStart - 1);
        Assert.Equal(SilenceKeepAlive.QuietTicksBeforeStart - 1, leg.EmptyTicks);
        Assert.Equal(2, keepAlive.FramesQueued);
        stepped.Step(50);
        Assert.Equal(SilenceKeepAlive.QuietTicksBeforeStart - 1, leg.EmptyTicks);
        Assert.Equal(10 + 50, leg.SentFrames);
        keepAlive.Dispose();
        Assert.Equal(1, stepped.Clock.SubscriberCount);
    }

    [Fact]
    public void A_wait_that_already_ended_never_subscribes()
    {
        var clock = new MediaClock(new FakeTimeProvider());
        var keepAlive = SilenceKeepAlive.Start(new ClockedLeg(), clock, waitForDrain: false, new CancellationToken(canceled: true));
        Assert.Equal(0, clock.SubscriberCount);
        Assert.Equal(0, keepAlive.FramesQueued);
    }

    [Fact]
    public void A_clock_tick_tops_the_queue_up_and_allocates_nothing()
    {
        var clock = new MediaClock(new FakeTimeProvider()); // never started: the test plays the clock
        var leg = new ClockedLeg();
        using var stop = new CancellationTokenSource();
        using var keepAlive = SilenceKeepAlive.Start(leg, clock, waitForDrain: false, stop.Token);
        Assert.Equal(2, keepAlive.FramesQueued); // queued ahead at once: no gap before the first tick

        // Nothing sends: ticks do not pile silence up beyond the two frames ahead.
        for (int i = 0; i < 10; i++)
        {
            keepAlive.OnTick(new MediaClockTick(i, TimeSpan.FromMilliseconds(20 * i), TimeSpan.Zero));
        }

        Assert.Equal(2, keepAlive.FramesQueued);

        // The sender takes a frame a tick: the keep-alive queues exactly one a tick, with no allocation.
        for (int i = 10; i < 20; i++)
        {
            leg.OnTick(default);
            keepAlive.OnTick(new MediaClockTick(i, TimeSpan.FromMilliseconds(20 * i), TimeSpan.Zero));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 20; i < 1020; i++)
        {
            leg.OnTick(default);
            keepAlive.OnTick(new MediaClockTick(i, TimeSpan.FromMilliseconds(20 * i), TimeSpan.Zero));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2 + 1010, keepAlive.FramesQueued);
        Assert.Equal(0, leg.EmptyTicks);
    }
}

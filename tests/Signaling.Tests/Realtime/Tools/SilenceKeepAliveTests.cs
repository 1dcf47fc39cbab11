using MediaServer.Rtc.Clock;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Tools;
using MediaServer.Signaling.Tests.Calls;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Signaling.Tests.Realtime.Tools;

/// <summary>
/// The tool-wait silence keep-alive runs on the process's one media clock (no timer of its own): it subscribes for
/// the wait, tops the leg's queue up on each clock tick without allocating, and unsubscribes when the wait ends.
/// </summary>
public sealed class SilenceKeepAliveTests
{
    [Fact]
    public async Task While_the_wait_lasts_every_shared_clock_tick_finds_a_frame_to_send()
    {
        // Two shards: the sender and the keep-alive run on different threads, in either order within a tick.
        await using var stepped = new SteppedMediaClock(shards: 2);
        var leg = new ClockedTestLeg(stepped.Clock);
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
        await using var stepped = new SteppedMediaClock(shards: 1);
        var leg = new ClockedTestLeg(stepped.Clock);
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
        var keepAlive = SilenceKeepAlive.Start(new ClockedTestLeg(clock), clock, waitForDrain: false, new CancellationToken(canceled: true));
        Assert.Equal(0, clock.SubscriberCount);
        Assert.Equal(0, keepAlive.FramesQueued);
    }

    [Fact]
    public void A_clock_tick_tops_the_queue_up_and_allocates_nothing()
    {
        var clock = new MediaClock(new FakeTimeProvider()); // never started: the test plays the clock
        var leg = new ClockedTestLeg(clock);
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

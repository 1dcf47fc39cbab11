using MediaServer.Rtc.Clock;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Tools;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Signaling.Tests.Calls;

/// <summary>
/// Waiting for a call leg to play out (before <c>output_audio_buffer.stopped</c>) runs on the leg's shared media
/// clock: done within the tick that sent the last frame, no timer per call, and never outliving the session when
/// the leg stops sending with audio still queued.
/// </summary>
public sealed class PlayoutDrainTests
{
    [Fact]
    public async Task The_wait_ends_on_the_clock_tick_that_sends_the_last_queued_frame()
    {
        // One shard: the leg (subscribed at call setup) sends before the watcher looks, as in production order.
        await using var stepped = new SteppedMediaClock(shards: 1);
        var leg = new ClockedTestLeg(stepped.Clock);
        using var sender = stepped.Clock.Subscribe(leg);
        leg.EnqueueOutput(new short[960 * 5]); // 100 ms of agent speech

        var drained = PlayoutDrain.WaitAsync(leg, () => false);
        Assert.Equal(2, stepped.Clock.SubscriberCount);
        stepped.Start();
        stepped.Step(3); // ticks 0..3 send four frames
        Assert.False(drained.IsCompleted);

        stepped.Step(1); // tick 4 sends the fifth and last
        Assert.True(drained.IsCompleted);
        Assert.Equal(5, leg.SentFrames);
        Assert.Equal(1, stepped.Clock.SubscriberCount); // the watcher left the clock
        await drained;
    }

    [Fact]
    public async Task A_leg_that_stops_sending_with_audio_queued_is_waited_for_only_until_the_session_ends()
    {
        await using var stepped = new SteppedMediaClock(shards: 1);
        var leg = new ClockedTestLeg(stepped.Clock); // hung up: it never ticks, its queue never empties
        leg.EnqueueOutput(new short[960 * 5]);
        bool ended = false;

        var drained = PlayoutDrain.WaitAsync(leg, () => Volatile.Read(ref ended));
        stepped.Start();
        stepped.Step(20);
        Assert.False(drained.IsCompleted);
        Assert.Equal(1, stepped.Clock.SubscriberCount);

        Volatile.Write(ref ended, true); // the session closed
        stepped.Step(1);
        Assert.True(drained.IsCompleted);
        Assert.Equal(0, stepped.Clock.SubscriberCount); // nothing of the call is left on the clock
        await drained;
    }

    [Fact]
    public async Task A_replys_play_out_end_is_seen_before_the_tool_wait_keep_alive_refills_the_queue()
    {
        // A reply that ends in a function call: its play-out wait and the keep-alive start together. Two shards, so
        // within a tick the sender, the watcher and the keep-alive run in any order.
        await using var stepped = new SteppedMediaClock(shards: 2);
        var leg = new ClockedTestLeg(stepped.Clock);
        using var sender = stepped.Clock.Subscribe(leg);
        leg.EnqueueOutput(new short[960 * 10]); // 200 ms of agent speech
        using var wait = new CancellationTokenSource();
        var drained = PlayoutDrain.WaitAsync(leg, () => false);
        var keepAlive = SilenceKeepAlive.Start(leg, stepped.Clock, waitForDrain: true, wait.Token);

        stepped.Start();
        for (int i = 0; i < 30 && !drained.IsCompleted; i++)
        {
            stepped.Step(1);
        }

        Assert.True(drained.IsCompleted);
        Assert.Equal(0, keepAlive.FramesQueued); // output_audio_buffer.stopped is not held back by silence
        stepped.Step(SilenceKeepAlive.QuietTicksBeforeStart + 1);
        Assert.True(keepAlive.FramesQueued > 0, "the keep-alive never started");
        await wait.CancelAsync();
        await drained;
    }

    [Fact]
    public void A_leg_with_nothing_queued_is_drained_at_once_without_subscribing()
    {
        var clock = new MediaClock(new FakeTimeProvider());
        var drained = PlayoutDrain.WaitAsync(new ClockedTestLeg(clock), () => false);
        Assert.True(drained.IsCompletedSuccessfully);
        Assert.Equal(0, clock.SubscriberCount);
    }

    [Fact]
    public void A_tick_of_the_wait_allocates_nothing()
    {
        var clock = new MediaClock(new FakeTimeProvider()); // never started: the test plays the clock
        var leg = new ClockedTestLeg(clock);
        leg.EnqueueOutput(new short[960]);
        bool ended = false;
        var watcher = new PlayoutDrain.Watcher(leg, () => ended);
        watcher.OnTick(default); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            watcher.OnTick(new MediaClockTick(i, TimeSpan.FromMilliseconds(20 * i), TimeSpan.Zero));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.False(watcher.Completion.IsCompleted);
        leg.OnTick(default); // the last frame goes out
        watcher.OnTick(default);
        Assert.True(watcher.Completion.IsCompleted);
    }
}

using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Tools;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Signaling.Tests.Realtime.Tools;

public sealed class SilenceKeepAliveTests
{
    /// <summary>A leg whose media clock sends one 20 ms frame per tick, counting ticks that found the queue empty.</summary>
    private sealed class ClockedLeg : ICallMediaLeg
    {
        private readonly object _gate = new();
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
                var dropped = QueuedOutput;
                _queued = 0;
                return dropped;
            }
        }

        public void Tick()
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

    [Fact]
    public async Task While_the_wait_lasts_every_media_clock_tick_finds_a_frame_to_send()
    {
        var time = new FakeTimeProvider();
        var leg = new ClockedLeg();
        using var stop = new CancellationTokenSource();
        var running = SilenceKeepAlive.RunAsync(leg, waitForDrain: false, stop.Token, time);
        for (int i = 0; i < 150; i++) // three seconds of media clock
        {
            // The pump runs on the thread pool: give it up to a second of real time to top the queue up.
            SpinWait.SpinUntil(() => leg.QueuedOutput > TimeSpan.Zero, TimeSpan.FromSeconds(1));
            leg.Tick();
            time.Advance(TimeSpan.FromMilliseconds(20));
        }

        stop.Cancel();
        await running;
        Assert.Equal(0, leg.EmptyTicks);
        Assert.Equal(150, leg.SentFrames);
        Assert.True(leg.QueuedOutput <= TimeSpan.FromMilliseconds(60), "silence piled up ahead of the clock");
    }

    [Fact]
    public async Task With_wait_for_drain_the_agents_audio_plays_out_before_any_silence_is_added()
    {
        var time = new FakeTimeProvider();
        var leg = new ClockedLeg();
        leg.EnqueueOutput(new short[48_000 / 50 * 10]); // 200 ms of agent speech still queued
        using var stop = new CancellationTokenSource();
        var running = SilenceKeepAlive.RunAsync(leg, waitForDrain: true, stop.Token, time);
        for (int i = 0; i < 10; i++)
        {
            await Task.Delay(5);
            Assert.True(leg.QueuedOutput <= TimeSpan.FromMilliseconds(200 - (20 * i)), "silence was queued behind the speech");
            leg.Tick();
            time.Advance(TimeSpan.FromMilliseconds(20));
        }

        stop.Cancel();
        await running;
        Assert.Equal(10, leg.SentFrames);
    }
}

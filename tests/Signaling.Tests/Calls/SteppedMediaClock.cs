using MediaServer.Rtc.Clock;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Signaling.Tests.Calls;

/// <summary>
/// A started media clock on fake time, stepped one tick at a time. Time moves only once the clock's loop has armed
/// its delay for the next tick (an advance before that would push the tick a whole interval out).
/// </summary>
internal sealed class SteppedMediaClock : IAsyncDisposable
{
    private readonly ArmedTimeProvider _time = new();
    private readonly SemaphoreSlim _processed = new(0);

    public SteppedMediaClock(int shards)
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
}

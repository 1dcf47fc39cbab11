using MediaServer.Rtc.Clock;
using MediaServer.Signaling.Calls;

namespace MediaServer.Signaling.Tests.Calls;

/// <summary>
/// A call leg whose sender is itself a media clock subscriber, as WebRTC's peer connection and the SIP leg are: one
/// 20 ms frame per tick at 48 kHz, counting ticks that found the queue empty. Allocates nothing per tick. The test
/// subscribes it to <paramref name="clock"/> (or plays the clock itself).
/// </summary>
internal sealed class ClockedTestLeg(MediaClock clock) : ICallMediaLeg, IMediaClockedLeg, IMediaClockSubscriber
{
    private readonly Lock _gate = new();
    private int _queued;

    public int EmptyTicks { get; private set; }

    public int SentFrames { get; private set; }

    public MediaClock Clock => clock;

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

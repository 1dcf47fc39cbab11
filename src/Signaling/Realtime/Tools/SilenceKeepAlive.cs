using MediaServer.Rtc.Clock;
using MediaServer.Signaling.Calls;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>
/// Keeps a call leg's outgoing RTP flowing while the agent waits on a tool. A SIP leg already sends silence frames
/// when its queue is empty; a WebRTC leg sends nothing then (RFC 3551 §4.1 talk spurts), which some peers and
/// middleboxes take for a dead call. So while a wait lasts, the keep-alive is subscribed to the shared media clock
/// that paces the leg and, on each tick, tops the queue up with silence to two frames ahead of the sender: the
/// frames go out paced like speech whichever of the two runs first in a tick, and real speech queued later follows
/// at once. No timer of its own, and a tick allocates nothing (one silence frame is allocated per wait).
/// </summary>
internal sealed class SilenceKeepAlive : IMediaClockSubscriber, IDisposable
{
    /// <summary>Silence queued ahead of the sender: two frames, so a tick never finds the queue empty.</summary>
    private const int FramesAhead = 2;

    /// <summary>
    /// With <c>waitForDrain</c>, ticks the queue must stay empty before the silence starts: the session's
    /// <see cref="PlayoutDrain"/> watches the same clock to send <c>output_audio_buffer.stopped</c> within a tick of
    /// the last speech frame, and must find the queue empty then, not already holding silence.
    /// </summary>
    internal const int QuietTicksBeforeStart = 5;

    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    private readonly ICallMediaLeg _leg;
    private readonly short[] _silence;
    private IDisposable? _subscription;
    private int _quietTicks;
    private bool _pumping;
    private volatile bool _stopped;

    private SilenceKeepAlive(ICallMediaLeg leg, bool waitForDrain)
    {
        _leg = leg;
        _silence = new short[leg.OutputSampleRate / 50];
        _pumping = !waitForDrain;
    }

    /// <summary>Silence frames queued so far (for tests and logs).</summary>
    public int FramesQueued { get; private set; }

    /// <summary>
    /// Subscribes a keep-alive for <paramref name="leg"/> to <paramref name="clock"/> until <paramref name="stop"/>
    /// is cancelled or the result is disposed, whichever comes first.
    /// </summary>
    /// <param name="waitForDrain">
    /// Start only once the queued agent audio has played out (and a little after), so
    /// <c>output_audio_buffer.stopped</c> is not held back by the silence.
    /// </param>
    public static SilenceKeepAlive Start(ICallMediaLeg leg, MediaClock clock, bool waitForDrain, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(leg);
        ArgumentNullException.ThrowIfNull(clock);
        var keepAlive = new SilenceKeepAlive(leg, waitForDrain);
        if (stop.IsCancellationRequested)
        {
            keepAlive._stopped = true;
            return keepAlive;
        }

        if (!waitForDrain)
        {
            keepAlive.TopUp(); // before the next tick, which may reach the sender first
        }

        keepAlive._subscription = clock.Subscribe(keepAlive);

        // The registration lives as long as the caller's token source, which every caller cancels when the wait ends.
        stop.UnsafeRegister(static state => ((SilenceKeepAlive)state!).Dispose(), keepAlive);
        return keepAlive;
    }

    /// <summary>Runs on the clock's loop (or one of its shards): never blocks, allocates nothing.</summary>
    public void OnTick(in MediaClockTick tick)
    {
        if (_stopped)
        {
            return; // a tick already running when the wait ended
        }

        if (!_pumping)
        {
            // Ticks run one at a time for a subscriber, so the count needs no lock.
            _quietTicks = _leg.QueuedOutput > TimeSpan.Zero ? 0 : _quietTicks + 1;
            if (_quietTicks < QuietTicksBeforeStart)
            {
                return;
            }

            _pumping = true;
        }

        TopUp();
    }

    private void TopUp()
    {
        TimeSpan ahead = Frame * FramesAhead;
        for (TimeSpan queued = _leg.QueuedOutput; queued < ahead; queued += Frame)
        {
            _leg.EnqueueOutput(_silence);
            FramesQueued++;
        }
    }

    /// <summary>Ends the wait: unsubscribes from the clock. Idempotent, safe from any thread.</summary>
    public void Dispose()
    {
        _stopped = true;
        Interlocked.Exchange(ref _subscription, null)?.Dispose();
    }
}

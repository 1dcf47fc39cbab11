using MediaServer.Rtc.Clock;

namespace MediaServer.Signaling.Calls;

/// <summary>
/// Waits for a call leg to play out the agent audio queued so far (for <c>output_audio_buffer.stopped</c>). A leg
/// paced by the shared media clock is watched from that clock's ticks: no timer per call, done within one frame of
/// the last sample leaving, and in step with the rest of the clock (the tool-wait keep-alive starts ticks later, so
/// it never refills the queue first). A leg without a shared clock (a test double) is polled with one delay per
/// expected play-out. Either way the wait gives up once <c>ended</c> says the session is gone: a leg hung up in
/// mid-speech stops sending and never drains, and the wait must not outlive the call.
/// </summary>
public static class PlayoutDrain
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    /// <summary>Completes when <paramref name="leg"/>'s output queue is empty, or once <paramref name="ended"/> returns true.</summary>
    /// <param name="ended">Read once a tick (or poll) off the caller's lock: a plain flag read, no allocation, no blocking.</param>
    public static Task WaitAsync(ICallMediaLeg leg, Func<bool> ended)
    {
        ArgumentNullException.ThrowIfNull(leg);
        ArgumentNullException.ThrowIfNull(ended);
        if (leg.QueuedOutput <= TimeSpan.Zero || ended())
        {
            return Task.CompletedTask;
        }

        return leg is IMediaClockedLeg clocked ? Watcher.Start(leg, clocked.Clock, ended) : PollAsync(leg, ended);
    }

    private static async Task PollAsync(ICallMediaLeg leg, Func<bool> ended)
    {
        while (leg.QueuedOutput > TimeSpan.Zero && !ended())
        {
            await Task.Delay(leg.QueuedOutput + Frame).ConfigureAwait(false);
        }
    }

    /// <summary>One clock subscriber for the length of one wait; a tick reads the queue and allocates nothing.</summary>
    internal sealed class Watcher(ICallMediaLeg leg, Func<bool> ended) : IMediaClockSubscriber
    {
        // The caller's continuation (it takes the session lock) runs on the thread pool, never on the clock loop.
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private IDisposable? _subscription;
        private int _finished;

        /// <summary>Completes when the wait is over.</summary>
        public Task Completion => _done.Task;

        public static Task Start(ICallMediaLeg leg, MediaClock clock, Func<bool> ended)
        {
            var watcher = new Watcher(leg, ended);
            Interlocked.Exchange(ref watcher._subscription, clock.Subscribe(watcher)); // a fence before reading _finished
            if (Volatile.Read(ref watcher._finished) == 1)
            {
                // A tick finished the wait before the subscription was stored: whoever takes it disposes it.
                Interlocked.Exchange(ref watcher._subscription, null)?.Dispose();
            }

            return watcher._done.Task;
        }

        public void OnTick(in MediaClockTick tick)
        {
            if (leg.QueuedOutput > TimeSpan.Zero && !ended())
            {
                return;
            }

            if (Interlocked.Exchange(ref _finished, 1) == 0)
            {
                Interlocked.Exchange(ref _subscription, null)?.Dispose();
                _done.TrySetResult();
            }
        }
    }
}

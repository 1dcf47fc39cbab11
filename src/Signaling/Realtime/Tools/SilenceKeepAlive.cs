using MediaServer.Signaling.Calls;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>
/// Keeps a call leg's outgoing RTP flowing while the agent waits on a tool. A SIP leg already sends silence frames
/// when its queue is empty; a WebRTC leg sends nothing then (RFC 3551 §4.1 talk spurts), which some peers and
/// middleboxes take for a dead call. So while a wait lasts, the queue is topped up with silence a frame ahead of
/// the media clock: the frames go out paced like speech, and real speech queued later follows at once.
/// </summary>
internal static class SilenceKeepAlive
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    /// <param name="waitForDrain">
    /// Start only once the queued agent audio has played out (and a little after), so
    /// <c>output_audio_buffer.stopped</c> is not held back by the silence.
    /// </param>
    public static async Task RunAsync(ICallMediaLeg leg, bool waitForDrain, CancellationToken stop, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        short[] silence = new short[leg.OutputSampleRate / 50];
        try
        {
            if (waitForDrain)
            {
                while (leg.QueuedOutput > TimeSpan.Zero)
                {
                    await Task.Delay(leg.QueuedOutput + Frame + Frame, time, stop).ConfigureAwait(false);
                }

                await Task.Delay(Frame * 3, time, stop).ConfigureAwait(false);
            }

            using var timer = new PeriodicTimer(Frame, time);
            do
            {
                if (leg.QueuedOutput < Frame + Frame)
                {
                    leg.EnqueueOutput(silence);
                }
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }
}

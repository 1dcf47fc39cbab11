using MediaServer.SipBridge.Calls;
using MediaServer.Signaling.Calls;

namespace MediaServer.SipBridge.Realtime;

/// <summary>A SIP call as the realtime layer controls it.</summary>
public sealed class SipCallControl(SipCall call) : ICallControl, ICallMediaStatsSource
{
    public string CallId => call.CallId;

    public ICallMediaLeg Media => call.MediaLeg;

    public IReadOnlyList<KeyValuePair<string, string>> SipHeaders => call.SipHeaders;

    public Task<string> Completion => call.Completion;

    public CallMediaStats GetStats()
    {
        var c = call.Media.Counters;
        var jitter = call.Media.JitterStatistics;
        // The SIP leg counts no sequence gaps of its own; the frames its jitter buffer concealed stand for the loss.
        return new CallMediaStats(c.PacketsReceived, c.PacketsSent, jitter.FramesConcealed, jitter.JitterQuantile.TotalMilliseconds,
            c.BytesReceived, c.BytesSent, jitter.FramesConcealed);
    }

    // An outbound call is answered by the far end: there is nothing to accept.
    public Task AcceptAsync(CancellationToken cancellationToken) => call.IsOutbound ? Task.CompletedTask : call.AcceptAsync(cancellationToken);

    public void Reject(int statusCode) => call.Reject(statusCode);

    public Task<int> ReferAsync(string targetUri, CancellationToken cancellationToken) => call.ReferAsync(targetUri, cancellationToken);
}

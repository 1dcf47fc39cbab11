using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Calls;

/// <summary>
/// A call's session events go to every attached listener: the WebRTC data channel and any number of monitoring
/// WebSockets (<c>/v1/realtime?call_id=</c>). Listeners come and go while the call runs.
/// </summary>
public sealed class FanoutEventSink : IRealtimeEventSink
{
    private IRealtimeEventSink[] _targets = [];

    public void Attach(IRealtimeEventSink target)
    {
        lock (this)
        {
            _targets = [.. _targets, target];
        }
    }

    public void Detach(IRealtimeEventSink target)
    {
        lock (this)
        {
            _targets = [.. _targets.Where(t => !ReferenceEquals(t, target))];
        }
    }

    public void Send(byte[] utf8Json)
    {
        foreach (var target in Volatile.Read(ref _targets))
        {
            target.Send(utf8Json);
        }
    }
}

using System.Text.Json;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Upstream;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// The session's speech-to-speech delegation: when its model selects a configured upstream
/// (<see cref="UpstreamCatalog"/>), an <see cref="UpstreamBridge"/> replaces the embedded engines. The session still
/// validates <c>session.update</c> and owns the transport (client events in, server events out, the call's audio);
/// everything else is the upstream's.
/// </summary>
public sealed partial class RealtimeSession
{
    private UpstreamBridge? _upstream;

    /// <summary>The upstream this session delegates to, or null when the embedded engines run it.</summary>
    public UpstreamTarget? Upstream => _upstream?.Target;

    internal bool IsClosed => _closed;

    private void AttachUpstream(ICallMediaLeg? leg)
    {
        if (Engines.Upstreams is { } catalog && catalog.TryResolve(Config.Model, out var target))
        {
            _upstream = new UpstreamBridge(this, target, leg, Logger);
        }
    }

    private RealtimeError? UpstreamDispatch(UpstreamBridge upstream, string type, JsonElement root)
    {
        if (type != "session.update")
        {
            return upstream.Forward(type, root);
        }

        var error = SessionUpdate(root);
        if (error is null)
        {
            upstream.MirrorSession();
        }

        return error;
    }
}

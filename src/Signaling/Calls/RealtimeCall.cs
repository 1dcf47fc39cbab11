using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Calls;

/// <summary>A live call: its control, and once accepted, the realtime session that talks on it.</summary>
public sealed class RealtimeCall(ICallControl control, string transport)
{
    public string CallId => Control.CallId;

    public string Transport { get; } = transport;

    public ICallControl Control { get; } = control;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Events of the call's session fan out to the data channel and monitoring sockets.</summary>
    public FanoutEventSink Events { get; } = new();

    /// <summary>Null until the call is accepted.</summary>
    public RealtimeSession? Session { get; internal set; }

    /// <summary>The call's media counters now, when its control or leg reports them.</summary>
    public CallMediaStats? MediaStats => (Control as ICallMediaStatsSource ?? Control.Media as ICallMediaStatsSource)?.GetStats();

    /// <summary>The key that controls this call (the one that created it, or the trunk's default).</summary>
    public string? OwnerKey { get; init; }
}

namespace MediaServer.Signaling.Calls;

/// <summary>Media counters of one call, as the calls view and metrics show them.</summary>
public sealed record CallMediaStats(
    long PacketsReceived,
    long PacketsSent,
    long PacketsLost,
    double JitterMs,
    long BytesReceived,
    long BytesSent,
    long FramesConcealed = 0);

/// <summary>A leg or control that can report its media counters.</summary>
public interface ICallMediaStatsSource
{
    CallMediaStats GetStats();
}

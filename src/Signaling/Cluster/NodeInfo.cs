namespace MediaServer.Signaling.Cluster;

/// <summary>One node as the registry last heard of it.</summary>
/// <param name="Id">Node id (<see cref="ClusterOptions.NodeId"/>).</param>
/// <param name="HttpUrl">Where other nodes forward requests for it.</param>
/// <param name="Calls">Live calls it holds.</param>
/// <param name="Sessions">Live WebSocket sessions it holds.</param>
/// <param name="Draining">True once it takes no new calls or sessions.</param>
/// <param name="UpdatedAt">Its last heartbeat.</param>
public sealed record NodeInfo(string Id, string HttpUrl, int Calls, int Sessions, bool Draining, DateTimeOffset UpdatedAt)
{
    /// <summary>What the load balancing of new work compares: calls and sessions alike.</summary>
    public int Load => Calls + Sessions;
}

/// <summary>
/// What a registry records the holding node of: a call (<c>rtc_…</c>), a WebSocket session (<c>sess_…</c>), or an
/// ephemeral key (by <see cref="ClusterKeys.Hash"/> of its value: the key itself is never written to Redis).
/// </summary>
public enum ClusterItemKind
{
    Call,
    Session,
    Secret,
}

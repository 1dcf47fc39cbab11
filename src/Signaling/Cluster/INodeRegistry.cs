namespace MediaServer.Signaling.Cluster;

/// <summary>
/// Where each node, call and session lives. <see cref="LocalNodeRegistry"/> is the single-node registry (nothing is
/// shared, every lookup answers "here"); <see cref="RedisNodeRegistry"/> shares it among nodes with expiring keys, so
/// a node that dies disappears after <see cref="ClusterOptions.RecordTtlSeconds"/> without anyone cleaning up.
/// </summary>
public interface INodeRegistry
{
    /// <summary>This node's id.</summary>
    string NodeId { get; }

    /// <summary>True when other nodes may hold calls (requests for unknown ids are worth looking up).</summary>
    bool IsShared { get; }

    /// <summary>Writes this node's record (heartbeat): address, load, draining flag; refreshes its expiry.</summary>
    Task PublishAsync(NodeInfo self, CancellationToken cancellationToken);

    /// <summary>
    /// Records that this node holds <paramref name="id"/> (or refreshes the record's expiry) for <paramref name="ttl"/>,
    /// by default <see cref="ClusterOptions.RecordTtlSeconds"/>.
    /// </summary>
    Task ClaimAsync(ClusterItemKind kind, string id, CancellationToken cancellationToken, TimeSpan? ttl = null);

    /// <summary>Removes the record of <paramref name="id"/> if this node still holds it.</summary>
    Task ReleaseAsync(ClusterItemKind kind, string id, CancellationToken cancellationToken);

    /// <summary>The live node holding <paramref name="id"/>; null when unknown, expired, or held by this node.</summary>
    Task<NodeInfo?> LocateAsync(ClusterItemKind kind, string id, CancellationToken cancellationToken);

    /// <summary>Every node whose record has not expired, this one included.</summary>
    Task<IReadOnlyList<NodeInfo>> NodesAsync(CancellationToken cancellationToken);
}

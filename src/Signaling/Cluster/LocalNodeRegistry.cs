namespace MediaServer.Signaling.Cluster;

/// <summary>
/// The registry of a node that runs alone (no <see cref="ClusterOptions.Redis"/>): it remembers its own last
/// heartbeat for <c>GET /v1/admin/nodes</c> and otherwise does nothing, so a single node behaves exactly as before.
/// </summary>
public sealed class LocalNodeRegistry(string nodeId) : INodeRegistry
{
    private volatile NodeInfo? _self;

    public string NodeId { get; } = nodeId;

    public bool IsShared => false;

    public Task PublishAsync(NodeInfo self, CancellationToken cancellationToken)
    {
        _self = self;
        return Task.CompletedTask;
    }

    public Task ClaimAsync(ClusterItemKind kind, string id, CancellationToken cancellationToken, TimeSpan? ttl = null) => Task.CompletedTask;

    public Task ReleaseAsync(ClusterItemKind kind, string id, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<NodeInfo?> LocateAsync(ClusterItemKind kind, string id, CancellationToken cancellationToken) => Task.FromResult<NodeInfo?>(null);

    public Task<IReadOnlyList<NodeInfo>> NodesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeInfo>>(_self is { } self ? [self] : []);
}

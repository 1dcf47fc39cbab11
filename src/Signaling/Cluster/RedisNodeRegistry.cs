using System.Globalization;
using StackExchange.Redis;

namespace MediaServer.Signaling.Cluster;

/// <summary>
/// The node registry shared through Redis. Every record expires by itself (<c>EXPIRE</c>), so a crashed node leaves
/// nothing behind for longer than <see cref="ClusterOptions.RecordTtlSeconds"/>:
/// <list type="bullet">
/// <item><c>{prefix}node:{id}</c>: hash <c>http calls sessions draining updated</c>, rewritten by each heartbeat;</item>
/// <item><c>{prefix}nodes</c>: set of node ids (members whose hash expired are pruned on read);</item>
/// <item><c>{prefix}call:{callId}</c>, <c>{prefix}session:{sessionId}</c>, <c>{prefix}secret:{hash}</c>: the holding
/// node's id (an ephemeral key's record lives as long as the key);</item>
/// <item><c>{prefix}rate:{hash}:{minute}</c>: a key's shared request count (<see cref="RedisRateCounter"/>).</item>
/// </list>
/// </summary>
public sealed class RedisNodeRegistry(IConnectionMultiplexer redis, string nodeId, ClusterOptions options) : INodeRegistry
{
    private const string DeleteIfOwnedScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private readonly string _prefix = options.KeyPrefix;
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.RecordTtlSeconds);

    public string NodeId { get; } = nodeId;

    public bool IsShared => true;

    private IDatabase Db => redis.GetDatabase();

    private RedisKey NodeKey(string id) => _prefix + "node:" + id;

    private RedisKey NodesKey => _prefix + "nodes";

    private RedisKey ItemKey(ClusterItemKind kind, string id) => _prefix + kind switch
    {
        ClusterItemKind.Call => "call:",
        ClusterItemKind.Session => "session:",
        _ => "secret:",
    } + id;

    public async Task PublishAsync(NodeInfo self, CancellationToken cancellationToken)
    {
        var batch = Db.CreateBatch();
        var key = NodeKey(self.Id);
        var writes = new[]
        {
            batch.HashSetAsync(key,
            [
                new HashEntry("http", self.HttpUrl),
                new HashEntry("calls", self.Calls),
                new HashEntry("sessions", self.Sessions),
                new HashEntry("draining", self.Draining ? 1 : 0),
                new HashEntry("updated", self.UpdatedAt.ToUnixTimeMilliseconds()),
            ]),
            batch.KeyExpireAsync(key, _ttl),
            batch.SetAddAsync(NodesKey, self.Id),
        };
        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task ClaimAsync(ClusterItemKind kind, string id, CancellationToken cancellationToken, TimeSpan? ttl = null) =>
        Db.StringSetAsync(ItemKey(kind, id), NodeId, ttl ?? _ttl).WaitAsync(cancellationToken);

    public async Task ReleaseAsync(ClusterItemKind kind, string id, CancellationToken cancellationToken)
    {
        // Delete only our own record: an id is never reused, but a late release must not erase another node's claim.
        // A script compares and deletes atomically on every Redis version (Debian's 7.0 has no DELEX).
        await Db.ScriptEvaluateAsync(DeleteIfOwnedScript, [ItemKey(kind, id)], [NodeId]).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<NodeInfo?> LocateAsync(ClusterItemKind kind, string id, CancellationToken cancellationToken)
    {
        var holder = await Db.StringGetAsync(ItemKey(kind, id)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (holder.IsNullOrEmpty || holder == NodeId)
        {
            return null;
        }

        return await ReadNodeAsync(holder.ToString(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<NodeInfo>> NodesAsync(CancellationToken cancellationToken)
    {
        var ids = await Db.SetMembersAsync(NodesKey).WaitAsync(cancellationToken).ConfigureAwait(false);
        var nodes = new List<NodeInfo>(ids.Length);
        foreach (var id in ids)
        {
            if (await ReadNodeAsync(id.ToString(), cancellationToken).ConfigureAwait(false) is { } node)
            {
                nodes.Add(node);
            }
            else
            {
                // Its record expired: the node stopped without saying so.
                await Db.SetRemoveAsync(NodesKey, id).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return [.. nodes.OrderBy(n => n.Id, StringComparer.Ordinal)];
    }

    private async Task<NodeInfo?> ReadNodeAsync(string id, CancellationToken cancellationToken)
    {
        var fields = await Db.HashGetAllAsync(NodeKey(id)).WaitAsync(cancellationToken).ConfigureAwait(false);
        string? http = null;
        int calls = 0, sessions = 0;
        bool draining = false;
        long updated = 0;
        foreach (var field in fields)
        {
            switch (field.Name.ToString())
            {
                case "http":
                    http = field.Value.ToString();
                    break;
                case "calls":
                    _ = field.Value.TryParse(out calls);
                    break;
                case "sessions":
                    _ = field.Value.TryParse(out sessions);
                    break;
                case "draining":
                    draining = field.Value == 1;
                    break;
                case "updated":
                    _ = long.TryParse(field.Value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out updated);
                    break;
            }
        }

        return http is null ? null : new NodeInfo(id, http, calls, sessions, draining, DateTimeOffset.FromUnixTimeMilliseconds(updated));
    }
}

using MediaServer.Signaling.Cluster;
using MediaServer.Signaling.Limits;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace MediaServer.Tests.ScaleOut;

/// <summary>The Redis registry and the shared rate counter against Debian's redis-server, as two nodes see them.</summary>
public sealed class RedisRegistryTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("redis-").FullName;
    private readonly ClusterOptions _options = new() { KeyPrefix = $"t{Guid.NewGuid():N}:", RecordTtlSeconds = 2, HeartbeatSeconds = 0.5 };
    private PeerProcess? _redis;
    private ConnectionMultiplexer? _connection;

    public async Task InitializeAsync()
    {
        await DebianPeers.EnsureInstalledAsync();
        (_redis, int port) = await ClusterPeers.StartRedisAsync(_dir);
        _connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Each_node_locates_the_others_calls_and_records_expire_with_their_node()
    {
        var a = new RedisNodeRegistry(_connection!, "a", _options);
        var b = new RedisNodeRegistry(_connection!, "b", _options);
        var now = DateTimeOffset.UtcNow;
        await a.PublishAsync(new NodeInfo("a", "http://127.0.0.1:1", 1, 0, false, now), default);
        await b.PublishAsync(new NodeInfo("b", "http://127.0.0.1:2", 0, 2, true, now), default);
        await a.ClaimAsync(ClusterItemKind.Call, "rtc_1", default);

        Assert.Null(await a.LocateAsync(ClusterItemKind.Call, "rtc_1", default)); // held here
        var holder = await b.LocateAsync(ClusterItemKind.Call, "rtc_1", default);
        Assert.Equal("a", holder?.Id);
        Assert.Equal("http://127.0.0.1:1", holder?.HttpUrl);
        Assert.Null(await b.LocateAsync(ClusterItemKind.Session, "rtc_1", default));
        var nodes = await a.NodesAsync(default);
        Assert.Equal(["a", "b"], nodes.Select(n => n.Id));
        Assert.True(nodes[1].Draining);
        Assert.Equal(2, nodes[1].Load);

        // Only the holder's release removes the record.
        await b.ReleaseAsync(ClusterItemKind.Call, "rtc_1", default);
        Assert.Equal("a", (await b.LocateAsync(ClusterItemKind.Call, "rtc_1", default))?.Id);
        await a.ReleaseAsync(ClusterItemKind.Call, "rtc_1", default);
        Assert.Null(await b.LocateAsync(ClusterItemKind.Call, "rtc_1", default));

        // A node that stops beating disappears with its records after the TTL (2 s here).
        await a.ClaimAsync(ClusterItemKind.Call, "rtc_2", default);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Null(await b.LocateAsync(ClusterItemKind.Call, "rtc_2", default));
        Assert.Empty(await b.NodesAsync(default));
    }

    [Fact]
    public void Two_nodes_share_one_key_limit()
    {
        var counter = new RedisRateCounter(_connection!, _options, NullLogger<RedisRateCounter>.Instance);
        var nodeA = new KeyRateLimiter(TimeProvider.System, counter) { RequestsPerMinute = 3 };
        var nodeB = new KeyRateLimiter(TimeProvider.System, counter) { RequestsPerMinute = 3 };
        // Stay inside one clock minute so the window does not roll over between the requests.
        var start = DateTimeOffset.UtcNow;
        if (start.Second >= 55)
        {
            Thread.Sleep(TimeSpan.FromSeconds(61 - start.Second));
        }

        Assert.True(nodeA.TryAcquire("sk-shared", out var first));
        Assert.Equal(2, first.Remaining);
        Assert.True(nodeB.TryAcquire("sk-shared", out _));
        Assert.True(nodeA.TryAcquire("sk-shared", out var third));
        Assert.Equal(0, third.Remaining);
        Assert.False(nodeB.TryAcquire("sk-shared", out var refused));
        Assert.Equal(0, refused.Remaining);
        Assert.True(nodeB.TryAcquire("sk-other", out _));
    }
}

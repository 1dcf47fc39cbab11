using MediaServer.Signaling.Cluster;
using MediaServer.Signaling.Limits;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
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
    public void Two_nodes_share_one_key_limit_per_second_and_the_window_expires_soon()
    {
        var counter = new RedisRateCounter(_connection!, _options, NullLogger<RedisRateCounter>.Instance);
        // One fake clock for both nodes, a quarter into a second: all requests fall in one window whatever the load.
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1000 + 250));
        var nodeA = new KeyRateLimiter(time, 3, counter);
        var nodeB = new KeyRateLimiter(time, 3, counter);

        Assert.True(nodeA.TryAcquire("sk-shared", out var first));
        Assert.Equal(2, first.Remaining);
        Assert.Equal(0.75, first.ResetSeconds);
        Assert.True(nodeB.TryAcquire("sk-shared", out _));
        Assert.True(nodeA.TryAcquire("sk-shared", out var third));
        Assert.Equal(0, third.Remaining);
        Assert.False(nodeB.TryAcquire("sk-shared", out var refused));
        Assert.Equal(0, refused.Remaining);
        Assert.Equal(1, refused.RetryAfterSeconds);
        Assert.True(nodeB.TryAcquire("sk-other", out _));

        // The window's Redis key lives a few seconds, not minutes.
        var windowKey = (RedisKey)$"{_options.KeyPrefix}rate:{ClusterKeys.Hash("sk-shared")}:{time.GetUtcNow().ToUnixTimeSeconds()}";
        var ttl = _connection!.GetDatabase().KeyTimeToLive(windowKey);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5));

        // The next second is a new window on both nodes.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(nodeB.TryAcquire("sk-shared", out var next));
        Assert.Equal(2, next.Remaining);
    }
}

using MediaServer.Signaling.Limits;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MediaServer.Signaling.Cluster;

/// <summary>
/// Per-key request counts shared through Redis: <c>INCR {prefix}rate:{hash}:{second}</c>, expiring a few seconds
/// after the window (long enough for a node whose clock runs slightly behind, short enough that Redis holds about
/// five keys per active API key). While Redis is unreachable it answers null at once (no wait on the session's
/// path) and each node limits alone until the connection is back.
/// </summary>
public sealed partial class RedisRateCounter(IConnectionMultiplexer redis, ClusterOptions options, ILogger<RedisRateCounter> logger) : ISharedRateCounter
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private int _failing;

    public long? TryIncrement(string key, long window)
    {
        if (!redis.IsConnected)
        {
            return Failed(null);
        }

        try
        {
            var db = redis.GetDatabase();
            RedisKey name = options.KeyPrefix + "rate:" + ClusterKeys.Hash(key) + ":" + window;
            long count = db.StringIncrement(name);
            if (count == 1)
            {
                db.KeyExpire(name, Lifetime, flags: CommandFlags.FireAndForget);
            }

            Interlocked.Exchange(ref _failing, 0);
            return count;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Failed(ex);
        }
    }

    private long? Failed(Exception? ex)
    {
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            LogUnavailable(logger, ex);
        }

        return null;
    }

    [LoggerMessage(EventId = 440, Level = LogLevel.Warning, Message = "Shared rate counter unavailable; this node limits keys alone until Redis is back")]
    private static partial void LogUnavailable(ILogger logger, Exception? ex);
}

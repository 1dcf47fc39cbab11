namespace MediaServer.Signaling.Limits;

/// <summary>
/// A per-key request counter shared by every node of a cluster (Redis), so a key's limit holds across nodes.
/// Not registered on a single node: <see cref="KeyRateLimiter"/> then counts in memory.
/// </summary>
public interface ISharedRateCounter
{
    /// <summary>Counts one request of <paramref name="key"/> in second <paramref name="window"/> (Unix seconds) and
    /// returns the window's count so far; null when the counter cannot be reached.</summary>
    long? TryIncrement(string key, long window);
}

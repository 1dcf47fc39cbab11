using System.Collections.Concurrent;

namespace MediaServer.Signaling.Limits;

/// <summary>
/// Requests per key per minute, shared by all of a key's sessions: a fixed one-minute window per key. Responses
/// count as requests. What is left is reported to clients in <c>rate_limits.updated</c>.
/// </summary>
public sealed class KeyRateLimiter(TimeProvider time, ISharedRateCounter? shared = null)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>Requests allowed per key per minute.</summary>
    public int RequestsPerMinute { get; set; } = 1000;

    /// <summary>Takes one request for <paramref name="key"/>; false when the key is over its limit.</summary>
    public bool TryAcquire(string key, out RateLimitState state)
    {
        var now = time.GetUtcNow();
        if (shared is not null && TryAcquireShared(key, now, out state, out bool sharedAllowed))
        {
            return sharedAllowed;
        }

        var window = _windows.GetOrAdd(key, _ => new Window(now));
        lock (window)
        {
            if (now - window.Start >= TimeSpan.FromMinutes(1))
            {
                window.Start = now;
                window.Used = 0;
            }

            bool allowed = window.Used < RequestsPerMinute;
            if (allowed)
            {
                window.Used++;
            }

            double reset = Math.Max(0, (window.Start + TimeSpan.FromMinutes(1) - now).TotalSeconds);
            state = new RateLimitState(RequestsPerMinute, RequestsPerMinute - window.Used, Math.Round(reset, 3));
            return allowed;
        }
    }

    /// <summary>
    /// Several nodes count one key together in windows aligned to the clock minute; false when the shared counter
    /// cannot be reached, and this node then limits alone.
    /// </summary>
    private bool TryAcquireShared(string key, DateTimeOffset now, out RateLimitState state, out bool allowed)
    {
        long unixMs = now.ToUnixTimeMilliseconds();
        if (shared!.TryIncrement(key, unixMs / 60_000) is not { } used)
        {
            state = default;
            allowed = false;
            return false;
        }

        allowed = used <= RequestsPerMinute;
        double reset = (60_000 - (unixMs % 60_000)) / 1000.0;
        state = new RateLimitState(RequestsPerMinute, (int)Math.Max(0, RequestsPerMinute - used), Math.Round(reset, 3));
        return true;
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Used { get; set; }
    }
}

/// <summary>One limit as <c>rate_limits.updated</c> reports it.</summary>
public readonly record struct RateLimitState(int Limit, int Remaining, double ResetSeconds);

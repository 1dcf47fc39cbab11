using System.Collections.Concurrent;

namespace MediaServer.Signaling.Limits;

/// <summary>
/// Requests per key per minute, shared by all of a key's sessions: a fixed one-minute window per key. Responses
/// count as requests. What is left is reported to clients in <c>rate_limits.updated</c>.
/// </summary>
public sealed class KeyRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>Requests allowed per key per minute.</summary>
    public int RequestsPerMinute { get; set; } = 1000;

    /// <summary>Takes one request for <paramref name="key"/>; false when the key is over its limit.</summary>
    public bool TryAcquire(string key, out RateLimitState state)
    {
        var now = time.GetUtcNow();
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

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Used { get; set; }
    }
}

/// <summary>One limit as <c>rate_limits.updated</c> reports it.</summary>
public readonly record struct RateLimitState(int Limit, int Remaining, double ResetSeconds);

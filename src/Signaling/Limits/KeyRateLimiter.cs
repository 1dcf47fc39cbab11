using System.Collections.Concurrent;

namespace MediaServer.Signaling.Limits;

/// <summary>
/// Requests per key per second, shared by all of a key's sessions and HTTP requests: a fixed one-second window per
/// key. What counts: every HTTP API request authenticated by the key (<see cref="KeyRateLimitMiddleware"/>) and every
/// response the server starts for the key's sessions. What is left is reported in <c>rate_limits.updated</c> and
/// the <c>x-ratelimit-*</c> headers.
/// </summary>
public sealed class KeyRateLimiter(TimeProvider time, int requestsPerSecond, ISharedRateCounter? shared = null)
{
    private static readonly TimeSpan WindowLength = TimeSpan.FromSeconds(1);

    /// <summary>Past this many keys, windows that ended are dropped when a new key arrives (with no configured keys any
    /// key is accepted on loopback, so the key set is not bounded by configuration).</summary>
    private const int PruneAboveKeys = 1024;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>Requests allowed per key per second.</summary>
    public int RequestsPerSecond { get; } = requestsPerSecond;

    /// <summary>Takes one request for <paramref name="key"/>; false when the key is over its limit.</summary>
    public bool TryAcquire(string key, out RateLimitState state)
    {
        var now = time.GetUtcNow();
        if (shared is not null && TryAcquireShared(key, now, out state, out bool sharedAllowed))
        {
            return sharedAllowed;
        }

        if (!_windows.TryGetValue(key, out var window))
        {
            if (_windows.Count >= PruneAboveKeys)
            {
                Prune(now);
            }

            window = _windows.GetOrAdd(key, _ => new Window(now));
        }

        lock (window)
        {
            if (now - window.Start >= WindowLength)
            {
                window.Start = now;
                window.Used = 0;
            }

            bool allowed = window.Used < RequestsPerSecond;
            if (allowed)
            {
                window.Used++;
            }

            double reset = Math.Max(0, (window.Start + WindowLength - now).TotalSeconds);
            state = new RateLimitState(RequestsPerSecond, RequestsPerSecond - window.Used, Math.Round(reset, 3));
            return allowed;
        }
    }

    /// <summary>
    /// Several nodes count one key together in windows aligned to the clock second; false when the shared counter
    /// cannot be reached, and this node then limits alone.
    /// </summary>
    private bool TryAcquireShared(string key, DateTimeOffset now, out RateLimitState state, out bool allowed)
    {
        long unixMs = now.ToUnixTimeMilliseconds();
        if (shared!.TryIncrement(key, unixMs / 1000) is not { } used)
        {
            state = default;
            allowed = false;
            return false;
        }

        allowed = used <= RequestsPerSecond;
        double reset = (1000 - (unixMs % 1000)) / 1000.0;
        state = new RateLimitState(RequestsPerSecond, (int)Math.Max(0, RequestsPerSecond - used), Math.Round(reset, 3));
        return true;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            if (now - window.Start >= WindowLength)
            {
                _windows.TryRemove(new KeyValuePair<string, Window>(key, window));
            }
        }
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Used { get; set; }
    }
}

/// <summary>One limit as <c>rate_limits.updated</c> reports it.</summary>
public readonly record struct RateLimitState(int Limit, int Remaining, double ResetSeconds)
{
    /// <summary>The HTTP <c>Retry-After</c> value: whole seconds until the window resets, at least 1.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(ResetSeconds));
}

using System.Collections.Concurrent;
using System.Net;

namespace MediaServer.SipBridge.Ua;

/// <summary>
/// New calls per second from one source address: a token bucket per IP (burst = one second's allowance), so a
/// misbehaving or hostile peer flooding INVITEs gets <c>503</c> with <c>Retry-After</c> (RFC 3261 §21.5.4) while
/// every other source is served as before. Buckets idle for a minute are swept on use, so a scan from many
/// addresses does not grow the table without bound.
/// </summary>
public sealed class SipCallRateLimiter(double callsPerSecond, TimeProvider time)
{
    private static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    private long _lastSweep = time.GetTimestamp();

    /// <summary>
    /// Takes one call from <paramref name="source"/>'s allowance; false when it has none left.
    /// <paramref name="firstRefusal"/> is true for the first refusal of a run, so a flood is logged once, not per INVITE.
    /// </summary>
    public bool TryAcquire(IPAddress source, out bool firstRefusal)
    {
        firstRefusal = false;
        if (callsPerSecond <= 0)
        {
            return true;
        }

        long now = time.GetTimestamp();
        SweepIfDue(now);
        var bucket = _buckets.GetOrAdd(source, _ => new Bucket(callsPerSecond, now));
        lock (bucket)
        {
            double elapsed = time.GetElapsedTime(bucket.Updated, now).TotalSeconds;
            bucket.Tokens = Math.Min(Math.Max(1, callsPerSecond), bucket.Tokens + (elapsed * callsPerSecond));
            bucket.Updated = now;
            if (bucket.Tokens < 1)
            {
                firstRefusal = !bucket.Limited;
                bucket.Limited = true;
                return false;
            }

            bucket.Tokens -= 1;
            bucket.Limited = false;
            return true;
        }
    }

    /// <summary>Whole seconds until <paramref name="source"/> may place another call (for Retry-After).</summary>
    public int RetryAfterSeconds => callsPerSecond >= 1 ? 1 : (int)Math.Ceiling(1 / callsPerSecond);

    private void SweepIfDue(long now)
    {
        long last = Interlocked.Read(ref _lastSweep);
        if (time.GetElapsedTime(last, now) < IdleAfter || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (address, bucket) in _buckets)
        {
            if (time.GetElapsedTime(bucket.Updated, now) >= IdleAfter)
            {
                _buckets.TryRemove(address, out _);
            }
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        public double Tokens { get; set; } = tokens;

        public long Updated { get; set; } = updated;

        public bool Limited { get; set; }
    }
}

using System.Globalization;

namespace MediaServer.Pipeline.Llm;

/// <summary>
/// Reads how long a provider asks to wait: <c>retry-after-ms</c> (OpenAI and Anthropic send it beside the
/// standard header) wins, then <c>Retry-After</c> as delay-seconds or an HTTP-date (RFC 9110 section 10.2.3).
/// </summary>
internal static class RetryAfterHeader
{
    public static TimeSpan? Parse(string? milliseconds, string? retryAfter, DateTimeOffset now)
    {
        if (double.TryParse(milliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
            return TimeSpan.FromMilliseconds(ms);
        if (string.IsNullOrWhiteSpace(retryAfter)) return null;
        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        return DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? (date - now) is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero
            : null;
    }
}

using System.Globalization;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transactions;

namespace MediaServer.SipBridge.Calls;

/// <summary>
/// RFC 4028 session timer as negotiated by the UAS: the interval and who refreshes. When the UAC refreshes,
/// a missing refresh ends the call (BYE) at <c>interval - min(32 s, interval/3)</c> (§10); when we refresh, an
/// UPDATE goes out at half the interval (§7.4).
/// </summary>
internal sealed class SipSessionTimer(TimeSpan interval, bool weRefresh)
{
    private SipTimerQueue.Entry? _entry;

    public TimeSpan Interval { get; } = interval;

    public bool WeRefresh { get; } = weRefresh;

    /// <summary>The Session-Expires value for our 2xx.</summary>
    public string HeaderValue => ((long)Interval.TotalSeconds).ToString(CultureInfo.InvariantCulture) + ";refresher=" + (WeRefresh ? "uas" : "uac");

    /// <summary>(Re)arms after the session was established or refreshed.</summary>
    public void Arm(SipTimerQueue timers, Action onExpired, Action onRefreshDue)
    {
        _entry?.Cancel();
        if (WeRefresh)
        {
            _entry = timers.Schedule(Interval / 2, onRefreshDue);
        }
        else
        {
            var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(32).Ticks, Interval.Ticks / 3));
            _entry = timers.Schedule(Interval - margin, onExpired);
        }
    }

    public void Cancel() => _entry?.Cancel();

    /// <summary>
    /// Negotiates from a request (RFC 4028 §9): no Session-Expires → no timer; below Min-SE → 422; refresher
    /// as asked, else the UAC when it supports timer, else us.
    /// </summary>
    public static int TryNegotiate(SipRequest request, TimeSpan minimum, out SipSessionTimer? timer)
    {
        timer = null;
        string? se = request.Headers[SipHeaderNames.SessionExpires];
        if (se is null)
        {
            return 0;
        }

        string[] parts = se.Split(';');
        if (!long.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return 400;
        }

        if (seconds < minimum.TotalSeconds)
        {
            return 422;
        }

        string? refresher = parts.Skip(1).Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("refresher=", StringComparison.OrdinalIgnoreCase))?[10..];
        bool uacSupports = request.Headers.GetValues(SipHeaderNames.Supported).Contains("timer", StringComparer.OrdinalIgnoreCase)
                           || request.Headers.GetValues(SipHeaderNames.Require).Contains("timer", StringComparer.OrdinalIgnoreCase);
        bool weRefresh = refresher is null ? !uacSupports : refresher.Equals("uas", StringComparison.OrdinalIgnoreCase);
        timer = new SipSessionTimer(TimeSpan.FromSeconds(seconds), weRefresh);
        return 0;
    }
}

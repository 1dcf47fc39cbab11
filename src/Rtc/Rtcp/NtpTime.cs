namespace MediaServer.Rtc.Rtcp;

/// <summary>
/// 64-bit NTP timestamps (RFC 3550 section 4: seconds since 1900 in the high word, binary fraction in the low) and
/// the round-trip time of section 6.4.1: <c>RTT = A - LSR - DLSR</c>, all in 1/65536 s.
/// </summary>
public static class NtpTime
{
    private static readonly DateTimeOffset s_epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The NTP timestamp of a wall-clock instant.</summary>
    public static ulong FromDateTime(DateTimeOffset time)
    {
        TimeSpan since = time - s_epoch;
        ulong seconds = (ulong)(since.Ticks / TimeSpan.TicksPerSecond);
        ulong fraction = (ulong)((since.Ticks % TimeSpan.TicksPerSecond) * (double)(1UL << 32) / TimeSpan.TicksPerSecond);
        return (seconds << 32) | fraction;
    }

    public static DateTimeOffset ToDateTime(ulong ntp)
    {
        double seconds = (ntp >> 32) + ((ntp & 0xFFFFFFFF) / (double)(1UL << 32));
        return s_epoch + TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The middle 32 bits (16.16 fixed point), the form LSR and RTT arithmetic use.</summary>
    public static uint Compact(ulong ntp) => (uint)(ntp >> 16);

    /// <summary>
    /// Round trip from a report block about our stream: <paramref name="arrivalCompact"/> is when the report
    /// arrived (compact NTP on our clock), LSR and DLSR come from the block. Null when LSR is zero (no SR seen yet)
    /// or the result would be negative (clock steps).
    /// </summary>
    public static TimeSpan? RoundTrip(uint arrivalCompact, uint lastSenderReport, uint delaySinceLastSenderReport)
    {
        if (lastSenderReport == 0)
        {
            return null;
        }

        uint rtt = arrivalCompact - lastSenderReport - delaySinceLastSenderReport;
        if ((int)rtt < 0)
        {
            return null;
        }

        return TimeSpan.FromSeconds(rtt / 65536.0);
    }
}

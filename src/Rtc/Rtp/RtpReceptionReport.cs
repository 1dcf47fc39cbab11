namespace MediaServer.Rtc.Rtp;

/// <summary>The figures of one RTCP reception report block (RFC 3550 section 6.4.1).</summary>
/// <param name="Ssrc">The source reported on.</param>
/// <param name="FractionLost">Lost since the last report, as a fraction of 256.</param>
/// <param name="CumulativeLost">Lost since the start (signed 24-bit).</param>
/// <param name="ExtendedHighestSequence">Cycles and highest sequence number received.</param>
/// <param name="Jitter">Interarrival jitter in timestamp units.</param>
/// <param name="LastSenderReport">LSR: middle 32 bits of the last SR's NTP timestamp.</param>
/// <param name="DelaySinceLastSenderReport">DLSR in units of 1/65536 s.</param>
public readonly record struct RtpReceptionReport(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport);

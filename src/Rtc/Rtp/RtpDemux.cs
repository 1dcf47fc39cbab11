namespace MediaServer.Rtc.Rtp;

/// <summary>Tells RTP from RTCP on a shared port (RFC 5761 section 4).</summary>
public static class RtpDemux
{
    /// <summary>
    /// True when the second byte is an RTCP packet type (192..223 covers SR, RR, SDES, BYE, APP, RTPFB, PSFB, XR
    /// and keeps clear of the RTP payload types 64..95 with the marker bit set, which RFC 5761 forbids).
    /// </summary>
    public static bool IsRtcp(ReadOnlySpan<byte> packet) => packet.Length >= 2 && packet[1] >= 192 && packet[1] <= 223;

    /// <summary>True when the first byte carries RTP/RTCP version 2 (RFC 7983: first byte 128..191).</summary>
    public static bool IsRtpOrRtcp(ReadOnlySpan<byte> packet) => packet.Length >= 2 && packet[0] >= 128 && packet[0] <= 191;
}

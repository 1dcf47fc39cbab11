namespace MediaServer.Rtc.Rtp;

/// <summary>The "defined by profile" values of RFC 8285 sections 4.2 and 4.3.</summary>
public static class RtpHeaderExtensionProfile
{
    /// <summary>One-byte header form (section 4.2).</summary>
    public const ushort OneByte = 0xBEDE;

    /// <summary>Two-byte header form (section 4.3); the low 4 bits ("appbits") are free for the application.</summary>
    public const ushort TwoByte = 0x1000;

    /// <summary>True when <paramref name="profile"/> is 0x1000..0x100F.</summary>
    public static bool IsTwoByte(ushort profile) => (profile & 0xFFF0) == TwoByte;
}

using System.Runtime.CompilerServices;

namespace MediaServer.Rtc.Rtp;

/// <summary>Inline storage for up to 15 contributing sources (the 4-bit CC field of RFC 3550 section 5.1).</summary>
[InlineArray(MaxCount)]
public struct RtpCsrcList
{
    /// <summary>The most CSRCs one header can carry.</summary>
    public const int MaxCount = 15;

    private uint _element0;
}

namespace MediaServer.Rtc.Srtp;

/// <summary>
/// One protection profile's packet transform (encryption + authentication), with the header already parsed and
/// the index resolved by <see cref="SrtpContext"/>. Implementations keep preallocated scratch: not thread-safe.
/// </summary>
internal interface ISrtpTransform : IDisposable
{
    /// <summary>Bytes SRTP adds to an RTP packet (the tag).</summary>
    int RtpOverhead { get; }

    /// <summary>Bytes SRTCP adds to an RTCP packet (tag and E|index word).</summary>
    int RtcpOverhead { get; }

    void ProtectRtp(Span<byte> packet, int headerLength, uint ssrc, ushort seq, uint roc);

    bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ushort seq, uint roc);

    void ProtectRtcp(Span<byte> packet, uint ssrc, uint index);

    /// <summary>Reads the 31-bit SRTCP index and the E flag from a protected packet.</summary>
    uint ReadRtcpIndex(ReadOnlySpan<byte> packet, out bool encrypted);

    bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint index, bool encrypted);
}

namespace MediaServer.Rtc.Rtp;

/// <summary>One RFC 8285 header extension element: its local identifier and its value bytes.</summary>
public readonly ref struct RtpHeaderExtension
{
    public RtpHeaderExtension(byte id, ReadOnlySpan<byte> data)
    {
        Id = id;
        Data = data;
    }

    /// <summary>Local identifier negotiated with <c>a=extmap</c> (1..14 one-byte, 1..255 two-byte).</summary>
    public byte Id { get; }

    public ReadOnlySpan<byte> Data { get; }
}

namespace MediaServer.Rtc.Rtcp;

/// <summary>RTCP packet types (RFC 3550 section 12.1, RFC 4585 section 6.1, RFC 3611).</summary>
public static class RtcpPacketType
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    public const byte SourceDescription = 202;
    public const byte Goodbye = 203;
    public const byte ApplicationDefined = 204;

    /// <summary>Transport-layer feedback (RFC 4585); FMT 1 is generic NACK.</summary>
    public const byte TransportFeedback = 205;

    /// <summary>Payload-specific feedback (RFC 4585); FMT 1 is PLI.</summary>
    public const byte PayloadFeedback = 206;

    public const byte ExtendedReport = 207;
}

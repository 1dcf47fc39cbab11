namespace MediaServer.SipBridge.Messages;

/// <summary>
/// Size and count limits for one SIP message, checked before any allocation grows with the input.
/// </summary>
public sealed class SipParserLimits
{
    /// <summary>Default 65,535: the largest UDP payload (RFC 3261 §18.1.1 allows larger over TCP; trunks never need it).</summary>
    public int MaxMessageBytes { get; init; } = 65_535;

    /// <summary>Default 65,535 (the whole datagram): RFC 4475 §3.1.1.7 (longreq) has two headers over 23,000 bytes each and must parse.</summary>
    public int MaxHeaderBytes { get; init; } = 65_535;

    /// <summary>Default 256 header lines after unfolding: about four times a busy trunk INVITE.</summary>
    public int MaxHeaderCount { get; init; } = 256;

    /// <summary>Shared default instance.</summary>
    public static SipParserLimits Default { get; } = new();
}

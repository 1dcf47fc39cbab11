using MediaServer.Rtc.Dtls;

namespace MediaServer.Rtc.Sdp;

/// <summary>What an offer/answer exchange settled: everything the transports need to start.</summary>
public sealed class WebRtcOfferAnswer
{
    /// <summary>The answer text to return to the offerer.</summary>
    public required string AnswerSdp { get; init; }

    /// <summary>Remote ICE username fragment (RFC 8839 section 5.4).</summary>
    public required string RemoteUfrag { get; init; }

    /// <summary>Remote ICE password.</summary>
    public required string RemotePassword { get; init; }

    /// <summary>The certificate fingerprint the peer's DTLS certificate must match.</summary>
    public required SdpFingerprint RemoteFingerprint { get; init; }

    /// <summary>Our DTLS role after the <c>a=setup</c> exchange.</summary>
    public required DtlsRole DtlsRole { get; init; }

    /// <summary><c>a=mid</c> of the accepted audio section.</summary>
    public required string AudioMid { get; init; }

    /// <summary>Payload type of Opus in the offer (and so in both directions).</summary>
    public required byte OpusPayloadType { get; init; }

    /// <summary>Payload type of telephone-event/48000, if offered.</summary>
    public byte? TelephoneEventPayloadType { get; init; }

    /// <summary>Whether we may send audio (offer was sendrecv or recvonly).</summary>
    public required bool SendAudio { get; init; }

    /// <summary>Whether the peer sends audio (offer was sendrecv or sendonly).</summary>
    public required bool ReceiveAudio { get; init; }

    /// <summary><c>a=mid</c> of the accepted data channel section, or null when none was accepted.</summary>
    public string? DataMid { get; init; }

    /// <summary>The peer's SCTP port (<c>a=sctp-port</c>, RFC 8841 section 5; default 5000).</summary>
    public int RemoteSctpPort { get; init; } = 5000;

    /// <summary>The peer's <c>a=max-message-size</c> (RFC 8841 section 6; 65536 when absent).</summary>
    public long RemoteMaxMessageSize { get; init; } = 65536;

    /// <summary>Whether the offer uses RTP header extensions or fmtp we ignore; informative.</summary>
    public string? OpusFmtp { get; init; }
}

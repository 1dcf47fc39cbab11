namespace MediaServer.Rtc.Sdp;

/// <summary>Why we cannot answer an offer. Each maps to an HTTP 400 body saying what the client must change.</summary>
public enum SdpOfferError
{
    /// <summary>Answered.</summary>
    None,

    /// <summary>The text is not a session description (see <see cref="SdpParseError"/>).</summary>
    Unparseable,

    /// <summary>No usable audio section (needs RTP/SAVPF with Opus 48000/2).</summary>
    NoAudio,

    /// <summary>An audio section exists but offers no <c>opus/48000/2</c>.</summary>
    NoOpus,

    /// <summary><c>a=ice-ufrag</c> or <c>a=ice-pwd</c> missing or out of RFC 8839 bounds.</summary>
    MissingIceCredentials,

    /// <summary>No <c>a=fingerprint</c> (RFC 5763 requires one for DTLS-SRTP).</summary>
    MissingFingerprint,

    /// <summary>A fingerprint with an unknown hash function or bad hex.</summary>
    UnsupportedFingerprint,

    /// <summary>The audio section lacks <c>a=rtcp-mux</c> (mandatory in WebRTC, RFC 8834 section 4.5).</summary>
    NoRtcpMux,

    /// <summary><c>a=setup</c> value is not active, passive or actpass.</summary>
    InvalidSetup,
}

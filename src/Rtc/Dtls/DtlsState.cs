namespace MediaServer.Rtc.Dtls;

/// <summary>DTLS transport states (the W3C RTCDtlsTransportState values that apply to us).</summary>
public enum DtlsState
{
    /// <summary>Not started.</summary>
    New,

    /// <summary>Handshake in progress.</summary>
    Connecting,

    /// <summary>Handshake done, keys exported, application data flows.</summary>
    Connected,

    /// <summary>Closed by either side (close_notify).</summary>
    Closed,

    /// <summary>Handshake or record failure, including a certificate that does not match the SDP fingerprint.</summary>
    Failed,
}

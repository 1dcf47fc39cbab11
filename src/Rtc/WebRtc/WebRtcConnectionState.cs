namespace MediaServer.Rtc.WebRtc;

/// <summary>Peer connection states (W3C RTCPeerConnectionState, as far as an ICE-lite answerer sees them).</summary>
public enum WebRtcConnectionState
{
    /// <summary>Answer given; waiting for the peer's first check.</summary>
    New,

    /// <summary>ICE checks arriving and/or DTLS handshaking.</summary>
    Connecting,

    /// <summary>DTLS done, SRTP keyed: media and data flow.</summary>
    Connected,

    /// <summary>Ended: by us, by the peer (DTLS close_notify), consent loss or failure. Terminal.</summary>
    Closed,
}

namespace MediaServer.Rtc.Sctp;

/// <summary>Data channel states (W3C RTCDataChannelState).</summary>
public enum DataChannelState
{
    /// <summary>OPEN sent, no ACK yet.</summary>
    Connecting,

    /// <summary>Messages flow.</summary>
    Open,

    /// <summary>Stream reset in progress.</summary>
    Closing,

    /// <summary>Closed.</summary>
    Closed,
}

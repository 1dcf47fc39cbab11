namespace MediaServer.Rtc.Sctp;

/// <summary>Association states (RFC 9260 section 4).</summary>
public enum SctpState
{
    /// <summary>No association yet.</summary>
    Closed,

    /// <summary>INIT sent, waiting for INIT ACK.</summary>
    CookieWait,

    /// <summary>COOKIE ECHO sent, waiting for COOKIE ACK.</summary>
    CookieEchoed,

    /// <summary>Data flows.</summary>
    Established,

    /// <summary>We asked to shut down; waiting for outstanding data to be acknowledged.</summary>
    ShutdownPending,

    /// <summary>SHUTDOWN sent.</summary>
    ShutdownSent,

    /// <summary>Peer sent SHUTDOWN; finishing our outstanding data.</summary>
    ShutdownReceived,

    /// <summary>SHUTDOWN ACK sent.</summary>
    ShutdownAckSent,

    /// <summary>Ended (shutdown, abort, or too many retransmissions). Terminal.</summary>
    Terminated,
}

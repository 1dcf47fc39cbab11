namespace MediaServer.Rtc.Ice;

/// <summary>States of an ICE-lite agent (a subset of RFC 8445's, as a lite agent sees them).</summary>
public enum IceConnectionState
{
    /// <summary>Waiting for the first valid connectivity check.</summary>
    New,

    /// <summary>A valid check arrived; no nomination yet (DTLS may already start, libwebrtc does).</summary>
    Checking,

    /// <summary>A pair was nominated (USE-CANDIDATE); media flows.</summary>
    Connected,

    /// <summary>Consent expired (RFC 7675) or the peer never checked in time.</summary>
    Failed,

    /// <summary>Closed by us.</summary>
    Closed,
}

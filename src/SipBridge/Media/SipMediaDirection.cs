namespace MediaServer.SipBridge.Media;

/// <summary>SDP stream direction (RFC 3264 §5.1, §8.4 hold).</summary>
public enum SipMediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

/// <summary>Direction helpers.</summary>
public static class SipMediaDirections
{
    /// <summary>The answerer's direction for an offered one (RFC 3264 §6.1).</summary>
    public static SipMediaDirection Answer(SipMediaDirection offered) => offered switch
    {
        SipMediaDirection.SendOnly => SipMediaDirection.RecvOnly,
        SipMediaDirection.RecvOnly => SipMediaDirection.SendOnly,
        SipMediaDirection.Inactive => SipMediaDirection.Inactive,
        _ => SipMediaDirection.SendRecv,
    };

    /// <summary>SDP attribute name.</summary>
    public static string ToAttribute(SipMediaDirection d) => d switch
    {
        SipMediaDirection.SendOnly => "sendonly",
        SipMediaDirection.RecvOnly => "recvonly",
        SipMediaDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    /// <summary>True when we may send in direction <paramref name="ours"/>.</summary>
    public static bool CanSend(SipMediaDirection ours) => ours is SipMediaDirection.SendRecv or SipMediaDirection.SendOnly;

    /// <summary>True when we expect to receive in direction <paramref name="ours"/>.</summary>
    public static bool CanReceive(SipMediaDirection ours) => ours is SipMediaDirection.SendRecv or SipMediaDirection.RecvOnly;
}

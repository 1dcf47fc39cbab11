namespace MediaServer.Rtc.Ice;

/// <summary>ICE agent role (RFC 8445 section 6.1.1). A lite agent facing a full agent is controlled.</summary>
public enum IceRole
{
    /// <summary>The peer nominates.</summary>
    Controlled,

    /// <summary>We pick the pair (only after a role conflict with another lite or confused agent).</summary>
    Controlling,
}

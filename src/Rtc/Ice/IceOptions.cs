using System.Net;

namespace MediaServer.Rtc.Ice;

/// <summary>ICE-lite settings for the shared UDP port. Validate with <see cref="Validate"/> at start.</summary>
public sealed class IceOptions
{
    /// <summary>Address the UDP socket binds to. Default 127.0.0.1 (tests and local runs stay on loopback).</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>UDP port for every peer connection; 0 picks a free one (tests).</summary>
    public int Port { get; set; }

    /// <summary>
    /// Addresses advertised as host candidates, in preference order. Empty: the bound address (or 127.0.0.1 when
    /// bound to Any). Peers gather all their interfaces, so advertise only addresses they can reach.
    /// </summary>
    public IList<IPAddress> AdvertisedAddresses { get; } = [];

    /// <summary>A public address to advertise first when behind a 1:1 NAT (cloud VM), or null.</summary>
    public IPAddress? PublicAddress { get; set; }

    /// <summary>
    /// No valid check for this long ends the connection. RFC 7675 section 5.1: consent expires 30 s after the
    /// last successful check.
    /// </summary>
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection whose peer never sends a valid check in this time fails (RFC 8445 leaves it to us).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Period of the single housekeeping timer shared by all connections.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), "Port must be 0..65535.");
        }

        if (ConsentTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero || TickInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConsentTimeout), "Timeouts must be positive.");
        }
    }
}

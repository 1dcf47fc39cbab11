namespace MediaServer.Rtc.Sctp;

/// <summary>SCTP association limits and timers for WebRTC data channels, each default with where it comes from.</summary>
public sealed class SctpOptions
{
    /// <summary>Our SCTP port (<c>a=sctp-port</c>, RFC 8841; 5000 by convention).</summary>
    public ushort LocalPort { get; set; } = 5000;

    /// <summary>The peer's SCTP port from its SDP.</summary>
    public ushort RemotePort { get; set; } = 5000;

    /// <summary>
    /// Largest SCTP packet: it must fit one DTLS record in a 1200-byte datagram (RFC 8261 section 5: no IP
    /// fragmentation); 1100 leaves room for the DTLS header and AEAD expansion.
    /// </summary>
    public int MaxPacketSize { get; set; } = 1100;

    /// <summary>Advertised receive window (a_rwnd). 1 MiB, in line with browsers.</summary>
    public int ReceiveWindow { get; set; } = 1024 * 1024;

    /// <summary>Largest message sent or reassembled (<c>a=max-message-size</c>; RFC 8841 section 6).</summary>
    public int MaxMessageSize { get; set; } = 256 * 1024;

    /// <summary>Most bytes queued for sending before <see cref="SctpAssociation.Send"/> refuses.</summary>
    public int MaxBufferedBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>RTO before any RTT sample. RFC 9260 says 1 s; WebRTC stacks use about that.</summary>
    public TimeSpan RtoInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Lower RTO bound. RFC 9260 suggests 1 s; 200 ms suits data channels on short paths (dcSCTP uses similar).</summary>
    public TimeSpan RtoMin { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper RTO bound. RFC 9260 suggests 60 s; 10 s keeps a dead call from lingering.</summary>
    public TimeSpan RtoMax { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive timeouts before the association is declared dead (RFC 9260 Association.Max.Retrans = 10).</summary>
    public int MaxRetransmissions { get; set; } = 10;

    /// <summary>INIT / COOKIE ECHO retransmissions (RFC 9260 Max.Init.Retransmits = 8).</summary>
    public int MaxInitRetransmissions { get; set; } = 8;

    /// <summary>Idle time before a HEARTBEAT (RFC 9260 HB.interval = 30 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (MaxPacketSize is < 256 or > 65535 || ReceiveWindow < 1500 || MaxMessageSize < 1 || RtoMin <= TimeSpan.Zero || RtoMax < RtoMin)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPacketSize), "SCTP options out of range.");
        }
    }
}

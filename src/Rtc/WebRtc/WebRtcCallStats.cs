using MediaServer.Rtc.Jitter;

namespace MediaServer.Rtc.WebRtc;

/// <summary>Per-call counters for logs at hangup and for metrics.</summary>
public sealed record WebRtcCallStats
{
    /// <summary>RTP packets received and authenticated.</summary>
    public long PacketsReceived { get; init; }

    /// <summary>RTP payload bytes received.</summary>
    public long BytesReceived { get; init; }

    /// <summary>Packets lost by RFC 3550 A.3 (expected minus received).</summary>
    public long PacketsLost { get; init; }

    /// <summary>Interarrival jitter (RFC 3550 A.8) in milliseconds.</summary>
    public double JitterMs { get; init; }

    /// <summary>RTP packets sent.</summary>
    public long PacketsSent { get; init; }

    /// <summary>RTP payload bytes sent.</summary>
    public long BytesSent { get; init; }

    /// <summary>SRTP/SRTCP packets refused (authentication, replay).</summary>
    public long SrtpErrors { get; init; }

    /// <summary>RTCP packets received.</summary>
    public long RtcpPacketsReceived { get; init; }

    /// <summary>Data channel messages received and sent.</summary>
    public long MessagesReceived { get; init; }

    /// <summary>Data channel messages sent.</summary>
    public long MessagesSent { get; init; }

    /// <summary>SCTP retransmissions.</summary>
    public long SctpRetransmissions { get; init; }

    /// <summary>DTMF digits received.</summary>
    public long DtmfDigits { get; init; }

    /// <summary>The inbound jitter buffer's counters.</summary>
    public JitterBufferStatistics JitterBuffer { get; init; }

    /// <summary>Round trip from the peer's RTCP reports about our stream (RFC 3550 LSR/DLSR), once known.</summary>
    public TimeSpan? RoundTripTime { get; init; }

    /// <summary>Fraction of our packets the peer reported lost in its last interval (0..1).</summary>
    public double RemoteFractionLost { get; init; }

    /// <summary>Our packets the peer counts as lost since the start.</summary>
    public long RemotePacketsLost { get; init; }

    /// <summary>Time from answer to Connected, when connected.</summary>
    public TimeSpan? TimeToConnect { get; init; }
}

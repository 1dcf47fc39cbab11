using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Ice;

namespace MediaServer.Rtc.Sdp;

/// <summary>Our side of an answer: credentials, certificate fingerprint, candidates and stream identity.</summary>
public sealed class SdpAnswerOptions
{
    /// <summary>Our ICE username fragment (4–256 ice-chars, RFC 8839 section 5.4).</summary>
    public required string LocalUfrag { get; init; }

    /// <summary>Our ICE password (22–256 ice-chars).</summary>
    public required string LocalPassword { get; init; }

    /// <summary>SHA-256 fingerprint of our DTLS certificate.</summary>
    public required SdpFingerprint LocalFingerprint { get; init; }

    /// <summary>
    /// Role we take when the offer says <c>actpass</c>. Client (<c>a=setup:active</c>) by default: we then send a
    /// small ClientHello instead of parsing a browser's large, fragmented one (NOTES-WEBRTC.md).
    /// </summary>
    public DtlsRole PreferredRole { get; init; } = DtlsRole.Client;

    /// <summary>Candidates to advertise; the first gives the <c>m=</c> port and <c>c=</c> address.</summary>
    public required IReadOnlyList<IceCandidate> Candidates { get; init; }

    /// <summary>Media stream id for <c>a=msid</c> (RFC 8830): some clients attach remote audio only when present.</summary>
    public string StreamId { get; init; } = "agent";

    /// <summary>Track id for <c>a=msid</c>.</summary>
    public string TrackId { get; init; } = "agent-audio";

    /// <summary>SSRC of our outbound audio, announced with <c>a=ssrc:... cname:</c>.</summary>
    public uint Ssrc { get; init; }

    /// <summary>RTCP CNAME (RFC 7022).</summary>
    public string CName { get; init; } = "mediaserver";

    /// <summary>Session id for the <c>o=</c> line.</summary>
    public ulong SessionId { get; init; }

    /// <summary>Our SCTP port (<c>a=sctp-port</c>).</summary>
    public int SctpPort { get; init; } = 5000;

    /// <summary>Largest data channel message we accept (<c>a=max-message-size</c>).</summary>
    public long MaxMessageSize { get; init; } = 262144;
}

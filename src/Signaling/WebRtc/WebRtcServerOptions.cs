namespace MediaServer.Signaling.WebRtc;

/// <summary>Configuration section <c>MediaServer:WebRtc</c>: where browsers send their media.</summary>
public sealed class WebRtcServerOptions
{
    /// <summary>UDP address for ICE, DTLS and SRTP of every peer connection (one socket for all calls).</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>UDP port; 0 picks a free one at start (the answer SDP carries it).</summary>
    public int Port { get; set; }

    /// <summary>Public address to advertise behind a 1:1 NAT (cloud VM), or null.</summary>
    public string? PublicAddress { get; set; }

    /// <summary>Origins allowed to call <c>/v1/realtime/calls</c> and <c>/v1/realtime/client_secrets</c> from a browser; <c>*</c> allows any.</summary>
    public List<string> AllowedOrigins { get; set; } = ["*"];
}

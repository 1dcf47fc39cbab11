using MediaServer.Rtc.Dtls;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtc.WebRtc;

/// <summary>Peer connection log messages (event ids 1400–1499). Call ids are random; no personal data.</summary>
internal static partial class WebRtcLog
{
    [LoggerMessage(1400, LogLevel.Information, "WebRTC {CallId} connected with {Profile} after {Milliseconds:F0} ms")]
    public static partial void Connected(ILogger logger, string callId, SrtpProfile profile, double milliseconds);

    [LoggerMessage(1401, LogLevel.Information,
        "WebRTC {CallId} closed: {Reason}; received {PacketsReceived} lost {PacketsLost} jitter {JitterMs:F1} ms sent {PacketsSent}")]
    public static partial void Closed(ILogger logger, string callId, string reason, long packetsReceived, long packetsLost, double jitterMs, long packetsSent);

    [LoggerMessage(1402, LogLevel.Debug, "WebRTC {CallId} inbound audio started")]
    public static partial void AudioStarted(ILogger logger, string callId);

    [LoggerMessage(1403, LogLevel.Information, "WebRTC offer refused: {Error}")]
    public static partial void OfferRefused(ILogger logger, MediaServer.Rtc.Sdp.SdpOfferError error);

    [LoggerMessage(1404, LogLevel.Information, "WebRTC endpoint ready on {EndPoint}; DTLS warm-up took {Milliseconds:F0} ms")]
    public static partial void Ready(ILogger logger, System.Net.EndPoint endPoint, double milliseconds);
}

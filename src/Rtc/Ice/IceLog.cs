using Microsoft.Extensions.Logging;

namespace MediaServer.Rtc.Ice;

/// <summary>ICE log messages (event ids 1100–1199). Ufrags are random per call, not personal data.</summary>
internal static partial class IceLog
{
    [LoggerMessage(1100, LogLevel.Debug, "ICE {Ufrag} state {State}")]
    public static partial void StateChanged(ILogger logger, string ufrag, IceConnectionState state);

    [LoggerMessage(1101, LogLevel.Information, "ICE {Ufrag} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string ufrag, string reason);

    [LoggerMessage(1102, LogLevel.Debug, "ICE mux dropped a {Kind} datagram: {Reason} (dropped so far {Count})")]
    public static partial void Dropped(ILogger logger, DatagramKind kind, string reason, long count);

    [LoggerMessage(1103, LogLevel.Information, "ICE mux listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, System.Net.EndPoint endPoint);

    [LoggerMessage(1104, LogLevel.Warning, "ICE mux receive failed")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(1105, LogLevel.Information, "ICE {Ufrag} refused a check: {Outcome}")]
    public static partial void CheckRefused(ILogger logger, string ufrag, IceCheckOutcome outcome);
}

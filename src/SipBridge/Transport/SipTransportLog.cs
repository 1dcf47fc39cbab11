using Microsoft.Extensions.Logging;

namespace MediaServer.SipBridge.Transport;

/// <summary>Source-generated log messages for the Sip.Transport area (event ids 3100-3199).</summary>
internal static partial class SipTransportLog
{
    [LoggerMessage(3101, LogLevel.Debug, "SIP {Protocol} send failed: {Error}")]
    public static partial void SendFailed(ILogger logger, string protocol, string error);

    [LoggerMessage(3102, LogLevel.Debug, "SIP {Protocol} receive failed: {Error}")]
    public static partial void ReceiveFailed(ILogger logger, string protocol, string error);

    [LoggerMessage(3103, LogLevel.Error, "SIP {Protocol} message handler failed")]
    public static partial void HandlerFailed(ILogger logger, string protocol, Exception exception);

    [LoggerMessage(3104, LogLevel.Debug, "SIP {Protocol} connection from {Remote} closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string protocol, string remote, string reason);
}

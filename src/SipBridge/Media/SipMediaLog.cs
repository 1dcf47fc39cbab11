using Microsoft.Extensions.Logging;

namespace MediaServer.SipBridge.Media;

/// <summary>Log messages for the Sip.Media area (event ids 3400-3499).</summary>
internal static partial class SipMediaLog
{
    [LoggerMessage(3401, LogLevel.Debug, "RTP latched to {Remote}")]
    public static partial void Latched(ILogger logger, string remote);
}

using Microsoft.Extensions.Logging;

namespace MediaServer.Rtc.Sctp;

/// <summary>SCTP log messages (event ids 1300–1399).</summary>
internal static partial class SctpLog
{
    [LoggerMessage(1300, LogLevel.Debug, "SCTP association on port {Port} established")]
    public static partial void Established(ILogger logger, ushort port);

    [LoggerMessage(1301, LogLevel.Debug, "SCTP association ended: {Reason}")]
    public static partial void Terminated(ILogger logger, string reason);

    [LoggerMessage(1302, LogLevel.Information, "SCTP dropped a packet: {Reason} (logged once per association)")]
    public static partial void Dropped(ILogger logger, string reason);
}

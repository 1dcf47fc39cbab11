using Microsoft.Extensions.Logging;

namespace MediaServer.Rtc.Dtls;

/// <summary>DTLS log messages (event ids 1200–1299).</summary>
internal static partial class DtlsLog
{
    [LoggerMessage(1200, LogLevel.Debug, "DTLS connected as {Role} with {Profile} in {Milliseconds:F0} ms")]
    public static partial void Connected(ILogger logger, DtlsRole role, SrtpProfile profile, double milliseconds);

    [LoggerMessage(1201, LogLevel.Information, "DTLS failed: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);

    [LoggerMessage(1202, LogLevel.Debug, "DTLS closed: {Reason}")]
    public static partial void Closed(ILogger logger, string reason);
}

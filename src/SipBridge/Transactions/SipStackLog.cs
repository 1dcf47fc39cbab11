using MediaServer.SipBridge.Messages;
using Microsoft.Extensions.Logging;

namespace MediaServer.SipBridge.Transactions;

/// <summary>Log messages for the Sip.Transactions area (event ids 3200-3299). No header values: they carry numbers.</summary>
internal static partial class SipStackLog
{
    [LoggerMessage(3201, LogLevel.Debug, "SIP message from {Remote} rejected: {Reason}")]
    public static partial void Rejected(ILogger logger, string remote, SipRejectionReason reason);

    [LoggerMessage(3202, LogLevel.Debug, "SIP message from {Remote} dropped: {Reason}")]
    public static partial void Dropped(ILogger logger, string remote, SipRejectionReason reason);

    [LoggerMessage(3203, LogLevel.Debug, "SIP message from {Remote} blocked by the source allow-list")]
    public static partial void Blocked(ILogger logger, string remote);
}

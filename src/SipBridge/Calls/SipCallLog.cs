using Microsoft.Extensions.Logging;

namespace MediaServer.SipBridge.Calls;

/// <summary>Log messages for the Sip.Calls area (event ids 3300-3399). Only call ids: caller numbers are personal data.</summary>
internal static partial class SipCallLog
{
    [LoggerMessage(3301, LogLevel.Information, "Incoming SIP call {CallId}")]
    public static partial void Incoming(ILogger logger, string callId);

    [LoggerMessage(3304, LogLevel.Information, "Outgoing SIP call {CallId} answered")]
    public static partial void Outgoing(ILogger logger, string callId);

    [LoggerMessage(3302, LogLevel.Information, "SIP call {CallId} ended: {Reason}")]
    public static partial void Ended(ILogger logger, string callId, string reason);

    [LoggerMessage(3305, LogLevel.Warning, "SIP calls from {Source} exceed {Limit} per second; refusing with 503 until the rate drops")]
    public static partial void CallRateLimited(ILogger logger, string source, double limit);

    [LoggerMessage(3303, LogLevel.Debug, "SIP call {CallId} hold state: {OnHold}")]
    public static partial void Hold(ILogger logger, string callId, bool onHold);
}

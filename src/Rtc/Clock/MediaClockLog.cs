using Microsoft.Extensions.Logging;

namespace MediaServer.Rtc.Clock;

internal static partial class MediaClockLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Error, Message = "Media clock subscriber {Subscriber} threw on tick {Tick}")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception, string subscriber, long tick);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Media clock stalled; skipped {Skipped} ticks")]
    public static partial void TicksSkipped(ILogger logger, long skipped);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Media clock threads keep the default priority: setting nice {Nice} was refused (errno {Errno}); grant CAP_SYS_NICE for steadier frame timing under load")]
    public static partial void PriorityRefused(ILogger logger, int nice, int errno);
}

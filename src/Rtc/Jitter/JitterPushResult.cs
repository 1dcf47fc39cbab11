namespace MediaServer.Rtc.Jitter;

/// <summary>What became of a pushed packet.</summary>
public enum JitterPushResult
{
    Accepted,
    Late,
    Duplicate,

    /// <summary>Accepted, but the buffer was full and its oldest packet was dropped.</summary>
    AcceptedWithOverflow,

    /// <summary>Another payload type, an empty payload, or one larger than the configured maximum.</summary>
    Rejected,
}

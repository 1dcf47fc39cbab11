namespace MediaServer.Rtc.Clock;

/// <summary>Settings of the shared media clock.</summary>
public sealed record MediaClockOptions
{
    /// <summary>Tick interval: 20 ms, the frame size of the whole media path (ARCHITECTURE.md).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// After a stall (GC pause, suspended VM) the clock fires missed ticks back to back, at most this many, so that
    /// paced audio catches up; beyond that it skips ahead and counts the skipped ticks, rather than bursting.
    /// </summary>
    public int MaxCatchUpTicks { get; init; } = 5;

    /// <summary>
    /// Subscribers are spread over this many shards; shard 0 runs on the clock's thread, each other shard on a thread
    /// of its own, so that hundreds of calls use every core. Default: one per processor.
    /// </summary>
    public int Shards { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Linux nice value for the clock's threads (-20 to 19; 0 leaves them alone). Negative values need root or
    /// CAP_SYS_NICE; refused, the threads keep the default priority and the clock logs it once. Default -10: the
    /// threads that pace frames run before recognition and synthesis when those fill every core.
    /// </summary>
    public int ThreadNice { get; init; } = -10;

    public void Validate()
    {
        if (Interval < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "At least 1 ms.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxCatchUpTicks, nameof(MaxCatchUpTicks));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Shards, nameof(Shards));
        if (ThreadNice is < -20 or > 19)
        {
            throw new ArgumentOutOfRangeException(nameof(ThreadNice), ThreadNice, "A nice value: -20 to 19.");
        }
    }
}

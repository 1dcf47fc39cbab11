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
    /// Subscribers are spread over this many shards; shard 0 runs on the clock loop, the others are queued to the
    /// thread pool on each tick so that hundreds of calls use every core. Default: one per processor.
    /// </summary>
    public int Shards { get; init; } = Environment.ProcessorCount;

    public void Validate()
    {
        if (Interval < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "At least 1 ms.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxCatchUpTicks, nameof(MaxCatchUpTicks));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Shards, nameof(Shards));
    }
}

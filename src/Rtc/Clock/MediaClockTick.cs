namespace MediaServer.Rtc.Clock;

/// <summary>One tick of the media clock.</summary>
/// <param name="Index">Tick number since the clock started; tick n is due at <c>n × interval</c>.</param>
/// <param name="Due">When the tick was due, on the clock's monotonic time line (from its start).</param>
/// <param name="Late">How late it actually fired (scheduling latency; not accumulated into later ticks).</param>
public readonly record struct MediaClockTick(long Index, TimeSpan Due, TimeSpan Late);

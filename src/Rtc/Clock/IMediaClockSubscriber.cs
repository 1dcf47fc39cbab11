namespace MediaServer.Rtc.Clock;

/// <summary>
/// Something that does one frame of work per media clock tick: a jitter buffer pull, a paced sender, an RTCP
/// scheduler. <see cref="OnTick"/> must not block; it runs on the clock's loop (or one of its shards) and every
/// other subscriber of that shard waits for it.
/// </summary>
public interface IMediaClockSubscriber
{
    void OnTick(in MediaClockTick tick);
}

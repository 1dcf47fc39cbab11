using MediaServer.Rtc.Clock;

namespace MediaServer.Signaling.Calls;

/// <summary>
/// A call leg whose outgoing audio is paced by the process's shared <see cref="MediaClock"/>. Work that has to keep
/// step with that pacing (the tool-wait silence keep-alive) subscribes to the same clock instead of running a timer
/// of its own: a thousand calls still cost one timer.
/// </summary>
public interface IMediaClockedLeg
{
    /// <summary>The clock that sends this leg's frames.</summary>
    MediaClock Clock { get; }
}

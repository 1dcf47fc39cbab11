using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Session;

public sealed partial class RealtimeSession
{
    private int _expiryWarned;
    private int _expired;

    /// <summary>True the first time only: the session's lifetime is over and it is being ended.</summary>
    internal bool TryBeginExpiry() => Interlocked.Exchange(ref _expired, 1) == 0;

    /// <summary>
    /// Sends <c>session.expiring</c> once (an extension event; SDKs pass unknown events through): the session ends
    /// at <paramref name="expiresAt"/> (epoch seconds), so an agent can say goodbye or the client can open a new
    /// session in time instead of being cut off mid-sentence.
    /// </summary>
    internal void WarnExpiring(long expiresAt, int secondsRemaining)
    {
        if (Interlocked.Exchange(ref _expiryWarned, 1) != 0)
        {
            return;
        }

        Emit(ServerEventJson.Build("session.expiring", w =>
        {
            w.WriteNumber("expires_at", expiresAt);
            w.WriteNumber("seconds_remaining", secondsRemaining);
        }));
    }
}

using System.Collections.Concurrent;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Realtime.Transport;

/// <summary>Live sessions, by id and by the key that opened them: for limits, draining and call attachment.</summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reservations = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public IEnumerable<RealtimeSession> Sessions => _sessions.Values.Select(e => e.Session);


    /// <summary>Records a live session; <paramref name="end"/> sends its last event and closes its transport.</summary>
    public void Add(RealtimeSession session, string key, Action<RealtimeError> end) => _sessions[session.Id] = new Entry(session, key, end);

    /// <summary>Live sessions with the action that ends each (for the lifetime monitor).</summary>
    internal IEnumerable<(RealtimeSession Session, Action<RealtimeError> End)> Live => _sessions.Values.Select(e => (e.Session, e.End));

    /// <summary>Reserves one of <paramref name="key"/>'s <paramref name="max"/> session places; false when all are taken.</summary>
    public bool TryReserve(string key, int max)
    {
        lock (_reservations)
        {
            _reservations.TryGetValue(key, out int used);
            if (used >= max)
            {
                return false;
            }

            _reservations[key] = used + 1;
            return true;
        }
    }

    /// <summary>Gives back a place taken with <see cref="TryReserve"/>.</summary>
    public void Release(string key)
    {
        lock (_reservations)
        {
            if (_reservations.TryGetValue(key, out int used))
            {
                if (used <= 1)
                {
                    _reservations.Remove(key);
                }
                else
                {
                    _reservations[key] = used - 1;
                }
            }
        }
    }

    public void Remove(RealtimeSession session) => _sessions.TryRemove(session.Id, out _);

    /// <summary>Asks every live session's transport to close with <paramref name="reason"/>.</summary>
    public void CloseAll(string reason)
    {
        var error = new RealtimeError(RealtimeError.ServerError, "server_shutting_down", reason);
        foreach (var entry in _sessions.Values)
        {
            entry.End(error);
        }
    }

    private sealed record Entry(RealtimeSession Session, string Key, Action<RealtimeError> End);
}

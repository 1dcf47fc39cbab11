using System.Collections.Concurrent;
using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Realtime.Transport;

/// <summary>Live sessions, by id and by the key that opened them: for limits, draining and call attachment.</summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public IEnumerable<RealtimeSession> Sessions => _sessions.Values.Select(e => e.Session);

    public int CountForKey(string key) => _sessions.Values.Count(e => e.Key == key);

    public void Add(RealtimeSession session, string key, Action<string> close) => _sessions[session.Id] = new Entry(session, key, close);

    public void Remove(RealtimeSession session) => _sessions.TryRemove(session.Id, out _);

    /// <summary>Asks every live session's transport to close with <paramref name="reason"/>.</summary>
    public void CloseAll(string reason)
    {
        foreach (var entry in _sessions.Values)
        {
            entry.Close(reason);
        }
    }

    private sealed record Entry(RealtimeSession Session, string Key, Action<string> Close);
}

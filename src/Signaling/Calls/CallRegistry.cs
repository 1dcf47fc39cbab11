using System.Collections.Concurrent;

namespace MediaServer.Signaling.Calls;

/// <summary>Live calls by id, for the control endpoints and monitoring sockets.</summary>
public sealed class CallRegistry
{
    private readonly ConcurrentDictionary<string, RealtimeCall> _calls = new(StringComparer.Ordinal);

    public IEnumerable<RealtimeCall> Calls => _calls.Values;

    public int Count => _calls.Count;

    /// <summary>Raised after a call is added (the cluster registry records which node holds it).</summary>
    public event Action<RealtimeCall>? Added;

    /// <summary>Raised after an ended call is removed.</summary>
    public event Action<RealtimeCall>? Removed;

    public void Add(RealtimeCall call)
    {
        _calls[call.CallId] = call;
        Added?.Invoke(call);
        _ = call.Control.Completion.ContinueWith(_ =>
        {
            _calls.TryRemove(call.CallId, out RealtimeCall? _);
            Removed?.Invoke(call);
        }, TaskScheduler.Default);
    }

    public bool TryGet(string callId, out RealtimeCall call) => _calls.TryGetValue(callId, out call!);
}

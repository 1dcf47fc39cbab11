namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// Where a session's server events go (a WebSocket, a WebRTC data channel, or several monitoring sockets).
/// <see cref="Send"/> is called under the session's lock, in protocol order: it must only enqueue, never block.
/// </summary>
public interface IRealtimeEventSink
{
    void Send(byte[] utf8Json);
}

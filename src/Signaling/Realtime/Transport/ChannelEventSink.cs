using System.Threading.Channels;
using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Realtime.Transport;

/// <summary>
/// An unbounded, single-reader queue of outgoing events: the session enqueues under its lock and a transport loop
/// drains it, so a slow client never blocks the session (or any other session).
/// </summary>
public sealed class ChannelEventSink : IRealtimeEventSink
{
    private readonly Channel<byte[]> _channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<byte[]> Reader => _channel.Reader;

    public void Send(byte[] utf8Json) => _channel.Writer.TryWrite(utf8Json);

    public void Complete() => _channel.Writer.TryComplete();
}

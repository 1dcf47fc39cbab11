using System.Net;

namespace MediaServer.Rtc.Ice;

/// <summary>Sends a datagram from the shared port. Implemented by <see cref="IceUdpMux"/>; faked in tests.</summary>
public interface IDatagramSender
{
    /// <summary>Sends <paramref name="datagram"/> to <paramref name="destination"/>; never blocks on the network.</summary>
    void Send(ReadOnlySpan<byte> datagram, SocketAddress destination);
}

/// <summary>Receives the non-STUN datagrams (DTLS, RTP, RTCP) of one connection, on the mux's receive thread.</summary>
public interface IIceDatagramHandler
{
    /// <summary>Handles one datagram; must not block (queue work elsewhere).</summary>
    void OnDatagram(DatagramKind kind, ReadOnlySpan<byte> datagram);
}

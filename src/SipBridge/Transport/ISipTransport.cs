using System.Net;

namespace MediaServer.SipBridge.Transport;

/// <summary>
/// One SIP transport (RFC 3261 §18): it frames messages and hands each complete message's bytes up; it knows
/// nothing about SIP semantics. Receiving never throws into the caller; sending is fire-and-forget.
/// </summary>
public interface ISipTransport : IAsyncDisposable
{
    /// <summary>Via transport token: <c>UDP</c> or <c>TCP</c>.</summary>
    string Protocol { get; }

    /// <summary>True for stream transports (no retransmissions, RFC 3261 §17.1.1.2).</summary>
    bool IsReliable { get; }

    /// <summary>Bound address.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Sends one message; for TCP over the connection to <paramref name="remote"/> (opened if needed).</summary>
    void Send(ReadOnlyMemory<byte> message, IPEndPoint remote);

    /// <summary>Starts receiving; <paramref name="onMessage"/> gets each framed message (the span is only valid during the call).</summary>
    void Start(SipMessageReceived onMessage);
}

/// <summary>Callback for one framed inbound message.</summary>
public delegate void SipMessageReceived(ISipTransport transport, IPEndPoint remote, ReadOnlySpan<byte> message);

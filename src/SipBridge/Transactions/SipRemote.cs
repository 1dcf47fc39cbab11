using System.Net;
using MediaServer.SipBridge.Transport;

namespace MediaServer.SipBridge.Transactions;

/// <summary>Where a message came from or goes to: a transport and a remote address.</summary>
public sealed record SipRemote(ISipTransport Transport, IPEndPoint EndPoint)
{
    /// <summary>True for TCP/TLS.</summary>
    public bool IsReliable => Transport.IsReliable;
}

using MediaServer.SipBridge.Messages;

namespace MediaServer.SipBridge.Transactions;

/// <summary>
/// The transaction user (RFC 3261 §8, §12, §13): what the stack hands messages to once the transaction layer has
/// absorbed retransmissions. Called under the stack lock: implementations must not block.
/// </summary>
public interface ISipCore
{
    /// <summary>A new request (anything but ACK) with its server transaction.</summary>
    void OnRequest(SipServerTransaction transaction);

    /// <summary>An ACK that matched no server transaction by branch (the ACK for a 2xx, RFC 3261 §13.2.2.4).</summary>
    void OnAck(SipRequest ack, SipRemote remote);

    /// <summary>A response that matched no client transaction (a 2xx retransmission after the transaction ended).</summary>
    void OnStrayResponse(SipResponse response, SipRemote remote);
}

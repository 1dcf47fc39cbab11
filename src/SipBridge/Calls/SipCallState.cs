namespace MediaServer.SipBridge.Calls;

/// <summary>Life of an inbound call.</summary>
public enum SipCallState
{
    /// <summary>INVITE received, 180 sent, waiting for accept/reject.</summary>
    Ringing,
    /// <summary>200 sent, waiting for ACK.</summary>
    Answering,
    /// <summary>Confirmed dialog.</summary>
    Active,
    /// <summary>Over (BYE, CANCEL, reject, timeout).</summary>
    Ended,
}

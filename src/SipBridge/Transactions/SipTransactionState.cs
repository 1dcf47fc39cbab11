namespace MediaServer.SipBridge.Transactions;

/// <summary>Transaction states of RFC 3261 §17 figures 5-8 plus Accepted from RFC 6026.</summary>
public enum SipTransactionState
{
    Calling,
    Trying,
    Proceeding,
    Completed,
    Confirmed,
    Accepted,
    Terminated,
}

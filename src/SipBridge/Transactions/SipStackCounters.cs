namespace MediaServer.SipBridge.Transactions;

/// <summary>Counters of the receive path (mediasoup style: classify, count, drop).</summary>
public sealed class SipStackCounters
{
    private long _received;
    private long _rejected;
    private long _dropped;
    private long _retransmissionsAbsorbed;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Requests refused with 400/505/513 by the parser.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Messages dropped without any response (bad responses, unreadable start lines, blocked sources).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long RetransmissionsAbsorbed => Interlocked.Read(ref _retransmissionsAbsorbed);

    internal void OnReceived() => Interlocked.Increment(ref _received);

    internal void OnRejected() => Interlocked.Increment(ref _rejected);

    internal void OnDropped() => Interlocked.Increment(ref _dropped);

    internal void OnRetransmission() => Interlocked.Increment(ref _retransmissionsAbsorbed);
}

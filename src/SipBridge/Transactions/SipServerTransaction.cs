using MediaServer.SipBridge.Messages;

namespace MediaServer.SipBridge.Transactions;

/// <summary>
/// A server transaction (RFC 3261 §17.2) for INVITE (§17.2.1, with the RFC 6026 Accepted state for 2xx) or any
/// other method (§17.2.2). It absorbs request retransmissions by resending its last response, retransmits INVITE
/// final responses over UDP (timer G) until ACK or timer H, and linger-waits (timers I, J) before it is removed.
/// All members run under the stack lock.
/// </summary>
public sealed class SipServerTransaction
{
    private readonly SipStack _stack;
    private readonly SipTimerOptions _timers;
    private SipTimerQueue.Entry? _retransmit;
    private SipTimerQueue.Entry? _timeout;
    private TimeSpan _interval;
    private byte[]? _lastResponse;

    internal SipServerTransaction(SipStack stack, string key, SipRequest request, SipRemote remote)
    {
        _stack = stack;
        _timers = stack.Timers;
        Key = key;
        Request = request;
        Remote = remote;
        State = IsInvite ? SipTransactionState.Proceeding : SipTransactionState.Trying;
    }

    /// <summary>Matching key (RFC 3261 §17.2.3).</summary>
    public string Key { get; }

    /// <summary>The request that created the transaction.</summary>
    public SipRequest Request { get; }

    /// <summary>Where the request came from.</summary>
    public SipRemote Remote { get; }

    /// <summary>Current state.</summary>
    public SipTransactionState State { get; private set; }

    /// <summary>True for INVITE.</summary>
    public bool IsInvite => Request.Method == SipMethods.Invite;

    /// <summary>Final status code sent, 0 while none.</summary>
    public int FinalStatus { get; private set; }

    /// <summary>Raised when an INVITE's final response got no ACK within 64*T1 (timer H or L).</summary>
    public Action<SipServerTransaction>? AckTimedOut { get; set; }

    /// <summary>Sends a response and moves the state machine.</summary>
    public void Respond(SipResponse response)
    {
        if (State is SipTransactionState.Completed or SipTransactionState.Confirmed or SipTransactionState.Terminated or SipTransactionState.Accepted)
        {
            return;
        }

        _lastResponse = response.ToBytes();
        _stack.SendResponseBytes(_lastResponse, Request, Remote);
        if (response.StatusCode < 200)
        {
            State = SipTransactionState.Proceeding;
            return;
        }

        FinalStatus = response.StatusCode;
        if (!IsInvite)
        {
            State = SipTransactionState.Completed;
            Linger(Remote.IsReliable ? TimeSpan.Zero : _timers.Timeout64); // timer J
            return;
        }

        State = response.StatusCode < 300 ? SipTransactionState.Accepted : SipTransactionState.Completed;
        if (!Remote.IsReliable)
        {
            _interval = _timers.T1;
            _retransmit = _stack.TimerQueue.Schedule(_interval, Retransmit); // timer G (or the 2xx retransmission of §13.3.1.4)
        }

        _timeout = _stack.TimerQueue.Schedule(_timers.Timeout64, () => // timer H (or L)
        {
            _retransmit?.Cancel();
            bool acked = State == SipTransactionState.Confirmed;
            Terminate();
            if (!acked)
            {
                AckTimedOut?.Invoke(this);
            }
        });
    }

    /// <summary>Builds and sends a response with the usual copies (convenience for the core).</summary>
    public SipResponse Respond(int statusCode, string? reason = null, string? toTag = null)
    {
        var response = SipResponseFactory.Create(Request, statusCode, reason, toTag);
        Respond(response);
        return response;
    }

    internal void OnRetransmission()
    {
        if (_lastResponse is not null && State is SipTransactionState.Proceeding or SipTransactionState.Completed or SipTransactionState.Trying)
        {
            _stack.SendResponseBytes(_lastResponse, Request, Remote);
        }
    }

    /// <summary>ACK for this INVITE: same branch for non-2xx (§17.2.1), or matched by dialog for 2xx (§13.3.1.4).</summary>
    internal void OnAck()
    {
        if (State is SipTransactionState.Completed or SipTransactionState.Accepted)
        {
            _retransmit?.Cancel();
            _timeout?.Cancel();
            State = SipTransactionState.Confirmed;
            Linger(Remote.IsReliable ? TimeSpan.Zero : _timers.T4); // timer I
        }
    }

    private void Retransmit()
    {
        if (State is not (SipTransactionState.Completed or SipTransactionState.Accepted) || _lastResponse is null)
        {
            return;
        }

        _stack.SendResponseBytes(_lastResponse, Request, Remote);
        _interval = TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, _timers.T2.Ticks));
        _retransmit = _stack.TimerQueue.Schedule(_interval, Retransmit);
    }

    private void Linger(TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            Terminate();
            return;
        }

        _timeout = _stack.TimerQueue.Schedule(wait, Terminate);
    }

    private void Terminate()
    {
        State = SipTransactionState.Terminated;
        _retransmit?.Cancel();
        _stack.Remove(this);
    }
}

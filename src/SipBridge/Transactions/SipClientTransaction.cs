using MediaServer.SipBridge.Messages;

namespace MediaServer.SipBridge.Transactions;

/// <summary>
/// A client transaction (RFC 3261 §17.1): INVITE (§17.1.1, timers A, B, D; ACK for non-2xx finals built here,
/// §17.1.1.3) or non-INVITE (§17.1.2, timers E, F, K). Retransmits over UDP only. Responses, provisional and
/// final, go to <see cref="OnResponse"/>; a timeout delivers a synthetic 408.
/// </summary>
public sealed class SipClientTransaction
{
    private readonly SipStack _stack;
    private readonly SipTimerOptions _timers;
    private readonly byte[] _requestBytes;
    private SipTimerQueue.Entry? _retransmit;
    private SipTimerQueue.Entry? _timeout;
    private TimeSpan _interval;
    private byte[]? _ack;

    internal SipClientTransaction(SipStack stack, string key, SipRequest request, SipRemote remote, Action<SipResponse> onResponse)
    {
        _stack = stack;
        _timers = stack.Timers;
        Key = key;
        Request = request;
        Remote = remote;
        OnResponse = onResponse;
        _requestBytes = request.ToBytes();
        State = IsInvite ? SipTransactionState.Calling : SipTransactionState.Trying;
    }

    /// <summary>Matching key: branch + method (RFC 3261 §17.1.3).</summary>
    public string Key { get; }

    /// <summary>The request.</summary>
    public SipRequest Request { get; }

    /// <summary>Destination.</summary>
    public SipRemote Remote { get; }

    /// <summary>State.</summary>
    public SipTransactionState State { get; private set; }

    /// <summary>True for INVITE.</summary>
    public bool IsInvite => Request.Method == SipMethods.Invite;

    internal Action<SipResponse> OnResponse { get; }

    internal void Start()
    {
        Remote.Transport.Send(_requestBytes, Remote.EndPoint);
        if (!Remote.IsReliable)
        {
            _interval = _timers.T1;
            _retransmit = _stack.TimerQueue.Schedule(_interval, Retransmit); // timer A or E
        }

        _timeout = _stack.TimerQueue.Schedule(_timers.Timeout64, () => // timer B or F
        {
            if (State is SipTransactionState.Calling or SipTransactionState.Trying or SipTransactionState.Proceeding)
            {
                Terminate();
                OnResponse(SipResponseFactory.Create(Request, 408, "Request Timeout"));
            }
        });
    }

    private void Retransmit()
    {
        if (State is not (SipTransactionState.Calling or SipTransactionState.Trying or SipTransactionState.Proceeding))
        {
            return;
        }

        if (IsInvite && State == SipTransactionState.Proceeding)
        {
            return; // timer A stops on a provisional response
        }

        Remote.Transport.Send(_requestBytes, Remote.EndPoint);
        _interval = IsInvite ? _interval * 2 : TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, _timers.T2.Ticks));
        if (!IsInvite && State == SipTransactionState.Proceeding)
        {
            _interval = _timers.T2;
        }

        _retransmit = _stack.TimerQueue.Schedule(_interval, Retransmit);
    }

    internal void OnResponseReceived(SipResponse response)
    {
        switch (State)
        {
            case SipTransactionState.Calling or SipTransactionState.Trying or SipTransactionState.Proceeding:
                if (response.StatusCode < 200)
                {
                    State = SipTransactionState.Proceeding;
                    OnResponse(response);
                    return;
                }

                _retransmit?.Cancel();
                _timeout?.Cancel();
                if (IsInvite && response.StatusCode < 300)
                {
                    // RFC 6026 Accepted: the TU acks 2xx itself; later 2xx retransmissions go to the core as strays.
                    State = SipTransactionState.Accepted;
                    _timeout = _stack.TimerQueue.Schedule(_timers.Timeout64, Terminate);
                    OnResponse(response);
                    return;
                }

                State = SipTransactionState.Completed;
                if (IsInvite)
                {
                    _ack = BuildAck(response).ToBytes();
                    Remote.Transport.Send(_ack, Remote.EndPoint);
                    Linger(Remote.IsReliable ? TimeSpan.Zero : _timers.TimerD);
                }
                else
                {
                    Linger(Remote.IsReliable ? TimeSpan.Zero : _timers.T4); // timer K
                }

                OnResponse(response);
                return;
            case SipTransactionState.Completed when IsInvite && _ack is not null && response.StatusCode >= 300:
                Remote.Transport.Send(_ack, Remote.EndPoint);
                return;
            case SipTransactionState.Accepted when response.StatusCode is >= 200 and < 300:
                OnResponse(response);
                return;
        }
    }

    /// <summary>RFC 3261 §17.1.1.3: ACK for a non-2xx final shares the INVITE's branch, Route and From; To from the response.</summary>
    private SipRequest BuildAck(SipResponse response)
    {
        var ack = new SipRequest { Method = SipMethods.Ack, Uri = Request.Uri };
        ack.Headers.Add(SipHeaderNames.Via, Request.Headers[SipHeaderNames.Via]!);
        ack.Headers.Add(SipHeaderNames.MaxForwards, "70");
        ack.Headers.Add(SipHeaderNames.From, Request.Headers[SipHeaderNames.From]!);
        ack.Headers.Add(SipHeaderNames.To, response.Headers[SipHeaderNames.To] ?? Request.Headers[SipHeaderNames.To]!);
        ack.Headers.Add(SipHeaderNames.CallId, Request.CallId!);
        ack.Headers.Add(SipHeaderNames.CSeq, new SipCSeq(Request.CSeq.Number, SipMethods.Ack).ToString());
        foreach (var route in Request.Headers.Where(h => SipText.NameEquals(h.Name, SipHeaderNames.Route)))
        {
            ack.Headers.Add(route);
        }

        return ack;
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

    internal void Terminate()
    {
        State = SipTransactionState.Terminated;
        _retransmit?.Cancel();
        _stack.Remove(this);
    }
}

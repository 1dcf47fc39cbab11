using MediaServer.SipBridge.Dialogs;
using MediaServer.SipBridge.Media;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transactions;
using MediaServer.Signaling.Calls;

namespace MediaServer.SipBridge.Calls;

/// <summary>
/// One inbound SIP call: a dialog, its INVITE server transaction while unanswered, and a media leg. The
/// application (the realtime layer) decides with <see cref="AcceptAsync"/>, <see cref="Reject"/>, and later
/// <see cref="ReferAsync"/> or <see cref="HangUpAsync"/>. Composition: the call holds these parts and the
/// <see cref="SipUserAgent"/> routes SIP messages to it; all SIP state changes happen under the stack lock.
/// </summary>
public sealed class SipCall
{
    private readonly SipUserAgent _ua;
    private readonly TaskCompletionSource _acked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SipServerTransaction? _pendingInvite;
    private TaskCompletionSource<int>? _refer;
    private SipTimerQueue.Entry? _ringTimer;

    internal SipCall(SipUserAgent ua, SipRequest invite, SipServerTransaction? pendingInvite, SipDialog dialog, SipMediaLeg media, SipAudioNegotiation? negotiation)
    {
        _ua = ua;
        _pendingInvite = pendingInvite;
        IsOutbound = pendingInvite is null;
        Dialog = dialog;
        Media = media;
        Negotiation = negotiation;
        CallId = SipCallIds.New();
        SipHeaders = invite.Headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList();
        From = invite.From?.Uri.ToString() ?? string.Empty;
        To = invite.To?.Uri.ToString() ?? string.Empty;
        SdpSessionId = Random.Shared.NextInt64(1, long.MaxValue / 2);
        if (IsOutbound)
        {
            State = SipCallState.Active;
        }
    }

    /// <summary>True for calls we placed (<see cref="SipServer.DialAsync"/>).</summary>
    public bool IsOutbound { get; }

    /// <summary>The ACK we sent for an outbound call's 2xx, resent when the 2xx is retransmitted (RFC 3261 §13.2.2.4).</summary>
    internal SipRequest? Ack { get; set; }

    /// <summary>Realtime call id (<c>rtc_</c> + hex).</summary>
    public string CallId { get; }

    /// <summary>The SIP Call-ID header value.</summary>
    public string SipCallId => Dialog.CallId;

    /// <summary>Headers of the initial INVITE, in order (for the incoming-call webhook).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SipHeaders { get; }

    /// <summary>Caller URI (personal data: do not log).</summary>
    public string From { get; }

    /// <summary>Called URI.</summary>
    public string To { get; }

    /// <summary>State.</summary>
    public SipCallState State { get; internal set; } = SipCallState.Ringing;

    /// <summary>The media leg the realtime session attaches to.</summary>
    public SipMediaLeg Media { get; }

    /// <summary>The media leg as the contract the session uses.</summary>
    public ICallMediaLeg MediaLeg => Media;

    /// <summary>True while the peer has put us on hold (sendonly/inactive offer).</summary>
    public bool IsOnHold { get; internal set; }

    /// <summary>Why the call ended, once it has.</summary>
    public string? EndReason { get; private set; }

    /// <summary>Completes with the end reason.</summary>
    public Task<string> Completion => _ended.Task;

    /// <summary>Raised once when the call ends (off the SIP lock).</summary>
    public event Action<SipCall, string>? Ended;

    internal SipDialog Dialog { get; }

    internal SipAudioNegotiation? Negotiation { get; set; }

    internal long SdpSessionId { get; }

    internal long SdpVersion { get; set; } = 1;

    internal SipSessionTimer? SessionTimer { get; set; }

    internal SipServerTransaction? PendingInvite => _pendingInvite;

    /// <summary>Answers with 200 OK and our SDP; completes when the ACK arrives.</summary>
    public Task AcceptAsync(CancellationToken cancellationToken = default)
    {
        _ua.Accept(this);
        return _acked.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Refuses the call (603 Decline by default, or any 4xx-6xx).</summary>
    public void Reject(int statusCode = 603) => _ua.Reject(this, statusCode);

    /// <summary>
    /// Blind transfer (RFC 3515): sends REFER to <paramref name="target"/>, follows the NOTIFY progress
    /// (RFC 3515 §2.4.5 message/sipfrag) and returns the final status of the transfer; on 2xx we hang up.
    /// </summary>
    public Task<int> ReferAsync(string target, CancellationToken cancellationToken = default)
    {
        var tcs = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ua.Refer(this, target, tcs);
        return tcs.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Ends the call from our side: BYE when answered, 480 while ringing.</summary>
    public ValueTask HangUpAsync(CancellationToken cancellationToken = default)
    {
        _ua.HangUp(this, "local_hangup");
        return ValueTask.CompletedTask;
    }

    internal void SetRingTimer(SipTimerQueue.Entry entry) => _ringTimer = entry;

    internal void ClearPendingInvite()
    {
        _pendingInvite = null;
        _ringTimer?.Cancel();
    }

    internal void OnAcked() => _acked.TrySetResult();

    internal void SetReferWaiter(TaskCompletionSource<int>? tcs)
    {
        _refer?.TrySetResult(0);
        _refer = tcs;
    }

    internal void CompleteRefer(int status)
    {
        _refer?.TrySetResult(status);
        _refer = null;
    }

    internal bool HasReferPending => _refer is not null;

    /// <summary>Marks the call ended (under the lock) and schedules notifications and cleanup off the lock.</summary>
    internal bool MarkEnded(string reason)
    {
        if (State == SipCallState.Ended)
        {
            return false;
        }

        State = SipCallState.Ended;
        EndReason = reason;
        _ringTimer?.Cancel();
        SessionTimer?.Cancel();
        _acked.TrySetException(new InvalidOperationException("The call ended: " + reason));
        _acked.Task.Exception?.Handle(_ => true);
        CompleteRefer(_refer is null ? 0 : 487);
        _ = Task.Run(async () =>
        {
            Media.RaiseEnded(reason);
            await Media.DisposeAsync().ConfigureAwait(false);
            _ended.TrySetResult(reason);
            Ended?.Invoke(this, reason);
        });
        return true;
    }
}

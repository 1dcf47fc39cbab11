using System.Globalization;
using System.Net;
using MediaServer.Rtc.Clock;
using MediaServer.SipBridge.Auth;
using MediaServer.SipBridge.Dialogs;
using MediaServer.SipBridge.Media;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transactions;
using MediaServer.SipBridge.Transport;
using MediaServer.SipBridge.Ua;
using Microsoft.Extensions.Logging;

namespace MediaServer.SipBridge.Calls;

/// <summary>
/// The UAS core for trunk calls (RFC 3261 §8.2, §12-§15): answers OPTIONS, turns INVITEs into
/// <see cref="SipCall"/>s, handles ACK, BYE, CANCEL (§9.2), re-INVITE hold/unhold (RFC 3264 §8.4), UPDATE
/// refreshes and RFC 4028 session timers, INFO DTMF, REFER progress NOTIFYs (RFC 3515). Runs under the stack lock;
/// application callbacks are raised on the thread pool.
/// </summary>
public sealed class SipUserAgent : ISipCore
{
    private readonly SipStack _stack;
    private readonly SipOptions _options;
    private readonly MediaClock _clock;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly IPAddress _mediaAddress;
    private readonly Dictionary<string, SipCall> _byDialog = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SipCall> _byCallId = new(StringComparer.Ordinal);

    private readonly Func<IPAddress, bool> _trusted;
    private readonly RtpPortRange _rtpPorts;
    private readonly SipDigestAuthenticator? _authenticator;
    private readonly SipCallRateLimiter _callRate;

    /// <param name="stack">The transaction layer.</param>
    /// <param name="options">Settings.</param>
    /// <param name="clock">Media clock for the call legs.</param>
    /// <param name="loggers">Loggers.</param>
    /// <param name="trusted">Sources on the allow-list (no challenge); null trusts every source the stack lets through.</param>
    /// <param name="authenticator">Digest check for other sources; null when no credentials are configured.</param>
    public SipUserAgent(SipStack stack, SipOptions options, MediaClock clock, ILoggerFactory loggers, Func<IPAddress, bool>? trusted = null, SipDigestAuthenticator? authenticator = null)
    {
        _trusted = trusted ?? (_ => true);
        _rtpPorts = new RtpPortRange(options.RtpPortMin, options.RtpPortMax);
        _callRate = new SipCallRateLimiter(options.MaxCallsPerSecondPerSource, stack.Time);
        _authenticator = authenticator;
        _stack = stack;
        _options = options;
        _clock = clock;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Sip.Calls");
        _mediaAddress = IPAddress.Parse(options.AdvertisedAddress ?? options.ListenAddress);
        if (_mediaAddress.Equals(IPAddress.Any))
        {
            _mediaAddress = IPAddress.Loopback;
        }
    }

    private volatile bool _draining;

    /// <summary>
    /// While draining, new INVITEs and OPTIONS get 503 with Retry-After (RFC 3261 §21.5.4): a dispatcher probing with
    /// OPTIONS (Kamailio's) marks the node inactive and fails over INVITEs already on the way. Dialogs go on.
    /// </summary>
    public bool Draining
    {
        get => _draining;
        set => _draining = value;
    }

    /// <summary>Raised for each new inbound call (off the SIP lock). Without a handler calls are answered 480.</summary>
    public event Action<SipCall>? IncomingCall;

    /// <summary>Live calls.</summary>
    public IReadOnlyList<SipCall> Calls
    {
        get
        {
            lock (_stack.SyncRoot)
            {
                return [.. _byCallId.Values];
            }
        }
    }

    /// <summary>Finds a call by its realtime id.</summary>
    public SipCall? Find(string callId)
    {
        lock (_stack.SyncRoot)
        {
            return _byCallId.GetValueOrDefault(callId);
        }
    }

    public void OnRequest(SipServerTransaction tx)
    {
        var request = tx.Request;
        int status = SipUasChecks.Check(request, out string? unsupported);
        if (status != 0)
        {
            var response = SipResponseFactory.Create(request, status, toTag: SipStack.NewTag());
            if (status == 405)
            {
                response.Headers.Add(SipHeaderNames.Allow, SipUasChecks.AllowHeader);
            }
            else if (status == 420)
            {
                response.Headers.Add(SipHeaderNames.Unsupported, unsupported!);
            }
            else if (status == 415)
            {
                response.Headers.Add(SipHeaderNames.Accept, "application/sdp");
            }

            tx.Respond(response);
            return;
        }

        if (request.To?.Tag is { } toTag)
        {
            OnInDialogRequest(tx, toTag);
            return;
        }

        if (request.Method != SipMethods.Cancel && !_trusted(tx.Remote.EndPoint.Address))
        {
            // Off the allow-list: only callers proving the configured credentials get in (RFC 3261 §22.2).
            if (_authenticator is null)
            {
                tx.Respond(403, toTag: SipStack.NewTag());
                return;
            }

            if (!_authenticator.Verify(request, out bool stale))
            {
                var challenge = SipResponseFactory.Create(request, 401, toTag: SipStack.NewTag());
                challenge.Headers.Add(SipHeaderNames.WwwAuthenticate, _authenticator.Challenge(stale));
                tx.Respond(challenge);
                return;
            }
        }

        switch (request.Method)
        {
            case SipMethods.Options when _draining:
            case SipMethods.Invite when _draining:
                var unavailable = SipResponseFactory.Create(request, 503, toTag: SipStack.NewTag());
                unavailable.Headers.Add("Retry-After", "30");
                tx.Respond(unavailable);
                return;
            case SipMethods.Options:
                var ok = SipResponseFactory.Create(request, 200, toTag: SipStack.NewTag());
                AddCapabilities(ok);
                ok.Headers.Add(SipHeaderNames.Accept, "application/sdp");
                tx.Respond(ok);
                return;
            case SipMethods.Invite:
                OnInvite(tx);
                return;
            case SipMethods.Cancel:
                OnCancel(tx);
                return;
            default:
                tx.Respond(481, toTag: SipStack.NewTag());
                return;
        }
    }

    public void OnAck(SipRequest ack, SipRemote remote)
    {
        if (!_byDialog.TryGetValue(SipDialog.KeyOf(ack.CallId, ack.To?.Tag), out var call) || call.State != SipCallState.Answering)
        {
            return;
        }

        if (call.Negotiation is null && ack.Body.Length > 0 && SipAudioSdp.TryNegotiate(ack.BodyText, out var answer))
        {
            call.Negotiation = answer;
            call.Media.Configure(answer!);
        }

        call.State = SipCallState.Active;
        call.OnAcked();
    }

    public void OnStrayResponse(SipResponse response, SipRemote remote)
    {
        // A 2xx to our INVITE retransmitted after its transaction ended: the ACK got lost, send it again.
        if (response.StatusCode is >= 200 and < 300 && response.CSeq.Method == SipMethods.Invite
            && _byDialog.TryGetValue(SipDialog.KeyOf(response.CallId, response.From?.Tag), out var call) && call.Ack is { } ack)
        {
            SendInDialog(call, ack, _ => { });
        }
    }

    /// <summary>
    /// Places a call (RFC 3261 §13.2): INVITE with our offer (PCMU, PCMA, telephone-event), one retry answering a
    /// 401/407 digest challenge with the configured credentials, ACK for the 2xx, dialog from the 2xx (§12.1.2).
    /// </summary>
    internal void Dial(SipUri target, string? fromUser, TaskCompletionSource<SipCall> done, CancellationToken cancellationToken)
    {
        lock (_stack.SyncRoot)
        {
            var destination = ResolveOutbound(target);
            if (destination is null)
            {
                done.TrySetException(new ArgumentException("The target must be an IP address (or set Sip:OutboundProxy).", nameof(target)));
                return;
            }

            SipCall? call = null;
            var media = new SipMediaLeg(_mediaAddress, _clock, _stack.Time, _loggers.CreateLogger("Sip.Media"), ct => call!.HangUpAsync(ct), _options.MaxQueuedOutput, _rtpPorts);
            media.Open();
            var contact = LocalContact(destination);
            var invite = new SipRequest { Method = SipMethods.Invite, Uri = target };
            var from = SipNameAddress.Create(SipUri.Create(fromUser ?? "agent", contact.Host, contact.Port));
            from.Tag = SipStack.NewTag();
            invite.Headers.Add(SipHeaderNames.MaxForwards, "70");
            invite.Headers.Add(SipHeaderNames.From, from.ToString());
            invite.Headers.Add(SipHeaderNames.To, SipNameAddress.Create(target).ToString());
            invite.Headers.Add(SipHeaderNames.CallId, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)) + "@" + contact.Host);
            invite.Headers.Add(SipHeaderNames.CSeq, new SipCSeq(1, SipMethods.Invite).ToString());
            invite.Headers.Add(SipHeaderNames.Contact, "<" + contact + ">");
            invite.Headers.Add(SipHeaderNames.UserAgent, _options.UserAgent);
            invite.Headers.Add(SipHeaderNames.Allow, SipUasChecks.AllowHeader);
            invite.Headers.Add(SipHeaderNames.Supported, "replaces");
            long sessionId = Random.Shared.NextInt64(1, long.MaxValue / 2);
            invite.SetBody("application/sdp", SipAudioSdp.WriteOffer(_mediaAddress, media.LocalEndPoint.Port, sessionId));
            bool retried = false;
            SipClientTransaction? tx = null;

            void OnResponse(SipResponse response)
            {
                if (response.StatusCode < 200)
                {
                    return;
                }

                if (response.StatusCode < 300)
                {
                    if (call is not null)
                    {
                        if (call.Ack is { } again)
                        {
                            SendInDialog(call, again, _ => { });
                        }

                        return;
                    }

                    var dialog = SipDialog.FromUac(invite, response, destination);
                    dialog.LocalContact = contact;
                    SipAudioNegotiation? answer = null;
                    if (response.Body.Length == 0 || !SipAudioSdp.TryNegotiate(response.BodyText, out answer))
                    {
                        // Unusable answer: ACK, then hang up (RFC 3261 §13.2.2.4).
                        call = new SipCall(this, invite, null, dialog, media, null);
                        call.Ack = dialog.CreateRequest(SipMethods.Ack, invite.CSeq.Number);
                        SendInDialog(call, call.Ack, _ => { });
                        End(call, "no_common_codec", sendBye: true);
                        done.TrySetException(new SipCallFailedException(488));
                        return;
                    }

                    media.Configure(answer!);
                    media.AllowSending();
                    call = new SipCall(this, invite, null, dialog, media, answer);
                    _byDialog[dialog.Key] = call;
                    _byCallId[call.CallId] = call;
                    call.Ack = dialog.CreateRequest(SipMethods.Ack, invite.CSeq.Number);
                    SendInDialog(call, call.Ack, _ => { });
                    SipCallLog.Outgoing(_logger, call.CallId);
                    done.TrySetResult(call);
                    return;
                }

                string? challenge = response.StatusCode switch
                {
                    401 => response.Headers[SipHeaderNames.WwwAuthenticate],
                    407 => response.Headers[SipHeaderNames.ProxyAuthenticate],
                    _ => null,
                };
                if (challenge is not null && !retried && _options.DigestUsername is { } user && _options.DigestPassword is { } password
                    && SipDigest.Answer(challenge, user, password, SipMethods.Invite, invite.Uri.ToString()) is { } credentials)
                {
                    retried = true;
                    invite.Headers.RemoveAll(SipHeaderNames.Via);
                    invite.Headers.Set(SipHeaderNames.CSeq, new SipCSeq(invite.CSeq.Number + 1, SipMethods.Invite).ToString());
                    invite.Headers.Add(response.StatusCode == 401 ? SipHeaderNames.Authorization : SipHeaderNames.ProxyAuthorization, credentials);
                    tx = _stack.SendRequest(invite, destination, OnResponse);
                    return;
                }

                _ = media.DisposeAsync();
                done.TrySetException(new SipCallFailedException(response.StatusCode));
            }

            tx = _stack.SendRequest(invite, destination, OnResponse);
            cancellationToken.Register(() =>
            {
                lock (_stack.SyncRoot)
                {
                    if (call is null && tx is { State: SipTransactionState.Proceeding } pending)
                    {
                        // CANCEL shares the INVITE's Via branch, Call-ID, From, To and CSeq number (RFC 3261 §9.1).
                        var cancel = new SipRequest { Method = SipMethods.Cancel, Uri = pending.Request.Uri };
                        cancel.Headers.Add(SipHeaderNames.Via, pending.Request.Headers[SipHeaderNames.Via]!);
                        cancel.Headers.Add(SipHeaderNames.MaxForwards, "70");
                        cancel.Headers.Add(SipHeaderNames.From, pending.Request.Headers[SipHeaderNames.From]!);
                        cancel.Headers.Add(SipHeaderNames.To, pending.Request.Headers[SipHeaderNames.To]!);
                        cancel.Headers.Add(SipHeaderNames.CallId, pending.Request.CallId!);
                        cancel.Headers.Add(SipHeaderNames.CSeq, new SipCSeq(pending.Request.CSeq.Number, SipMethods.Cancel).ToString());
                        _stack.SendRequest(cancel, destination, _ => { });
                    }
                }
            });
        }
    }

    private SipRemote? ResolveOutbound(SipUri target)
    {
        string protocol = target.Parameters.Get("transport")?.ToUpperInvariant() ?? "UDP";
        var transport = _stack.FindTransport(protocol);
        if (transport is null)
        {
            return null;
        }

        if (_options.OutboundProxy is { } proxy && IPEndPoint.TryParse(proxy, out var proxyEndPoint))
        {
            return new SipRemote(transport, proxyEndPoint);
        }

        return IPAddress.TryParse(target.HostWithoutBrackets, out var address)
            ? new SipRemote(transport, new IPEndPoint(address, target.Port ?? 5060))
            : null;
    }

    private void OnInvite(SipServerTransaction tx)
    {
        var request = tx.Request;
        tx.Respond(100);
        SipAudioNegotiation? negotiation = null;
        if (request.Body.Length > 0 && !SipAudioSdp.TryNegotiate(request.BodyText, out negotiation))
        {
            tx.Respond(488, toTag: SipStack.NewTag());
            return;
        }

        int timerStatus = SipSessionTimer.TryNegotiate(request, _options.MinSessionExpires, out var sessionTimer);
        if (timerStatus != 0)
        {
            var response = SipResponseFactory.Create(request, timerStatus, toTag: SipStack.NewTag());
            if (timerStatus == 422)
            {
                response.Headers.Add(SipHeaderNames.MinSE, ((long)_options.MinSessionExpires.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            }

            tx.Respond(response);
            return;
        }

        if (IncomingCall is null)
        {
            tx.Respond(480, toTag: SipStack.NewTag());
            return;
        }

        if (!_callRate.TryAcquire(tx.Remote.EndPoint.Address, out bool firstRefusal))
        {
            var limited = SipResponseFactory.Create(request, 503, toTag: SipStack.NewTag());
            limited.Headers.Add("Retry-After", _callRate.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
            tx.Respond(limited);
            if (firstRefusal)
            {
                SipCallLog.CallRateLimited(_logger, tx.Remote.EndPoint.Address.ToString(), _options.MaxCallsPerSecondPerSource);
            }

            return;
        }

        if (_byCallId.Count >= _options.MaxConcurrentCalls)
        {
            var busy = SipResponseFactory.Create(request, 503, toTag: SipStack.NewTag());
            busy.Headers.Add("Retry-After", "5");
            tx.Respond(busy);
            return;
        }

        string localTag = SipStack.NewTag();
        var dialog = SipDialog.FromUas(request, localTag, tx.Remote);
        dialog.LocalContact = LocalContact(tx.Remote);
        SipCall? call = null;
        var media = new SipMediaLeg(_mediaAddress, _clock, _stack.Time, _loggers.CreateLogger("Sip.Media"), ct => call!.HangUpAsync(ct), _options.MaxQueuedOutput, _rtpPorts);
        call = new SipCall(this, request, tx, dialog, media, negotiation) { SessionTimer = sessionTimer };
        if (negotiation is not null)
        {
            media.Configure(negotiation);
        }

        media.Open();
        _byDialog[dialog.Key] = call;
        _byCallId[call.CallId] = call;
        tx.AckTimedOut = _ => End(call, "ack_timeout", sendBye: true);
        if (_options.EarlyMedia && negotiation is not null)
        {
            // Early media (RFC 3960 gateway model): 183 with our answer, media flows before the call is accepted.
            var progress = SipResponseFactory.Create(request, 183, toTag: localTag);
            progress.Headers.Add(SipHeaderNames.Contact, "<" + dialog.LocalContact + ">");
            progress.SetBody("application/sdp", LocalSdp(call));
            media.AllowSending();
            tx.Respond(progress);
        }
        else if (_options.SendRinging)
        {
            var ringing = SipResponseFactory.Create(request, 180, toTag: localTag);
            ringing.Headers.Add(SipHeaderNames.Contact, "<" + dialog.LocalContact + ">");
            tx.Respond(ringing);
        }

        call.SetRingTimer(_stack.TimerQueue.Schedule(_options.RingTimeout, () =>
        {
            if (call.State == SipCallState.Ringing)
            {
                call.PendingInvite?.Respond(480, toTag: localTag);
                End(call, "ring_timeout", sendBye: false);
            }
        }));
        SipCallLog.Incoming(_logger, call.CallId);
        var handler = IncomingCall;
        _ = Task.Run(() => handler?.Invoke(call));
    }

    internal void Accept(SipCall call)
    {
        lock (_stack.SyncRoot)
        {
            if (call.State != SipCallState.Ringing || call.PendingInvite is not { } tx)
            {
                throw new InvalidOperationException("The call is not ringing (state " + call.State + ").");
            }

            var ok = SipResponseFactory.Create(tx.Request, 200, toTag: call.Dialog.LocalTag);
            ok.Headers.Add(SipHeaderNames.Contact, "<" + call.Dialog.LocalContact + ">");
            AddCapabilities(ok);
            foreach (var rr in tx.Request.Headers.Where(h => SipText.NameEquals(h.Name, SipHeaderNames.RecordRoute)))
            {
                ok.Headers.Add(rr);
            }

            if (call.SessionTimer is { } timer)
            {
                ok.Headers.Add(SipHeaderNames.SessionExpires, timer.HeaderValue);
                if (!timer.WeRefresh)
                {
                    ok.Headers.Add(SipHeaderNames.Require, "timer");
                }

                ArmSessionTimer(call);
            }

            ok.SetBody("application/sdp", LocalSdp(call));
            if (_options.RecordingDirectory is { } dir)
            {
                Directory.CreateDirectory(dir);
                call.Media.StartRecording(Path.Combine(dir, call.CallId + ".wav"));
            }

            call.State = SipCallState.Answering;
            call.Media.AllowSending();
            call.ClearPendingInvite();
            tx.Respond(ok);
        }
    }

    internal void Reject(SipCall call, int statusCode)
    {
        if (statusCode is < 400 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), "Reject with a 4xx-6xx status.");
        }

        lock (_stack.SyncRoot)
        {
            if (call.State != SipCallState.Ringing || call.PendingInvite is not { } tx)
            {
                throw new InvalidOperationException("The call is not ringing.");
            }

            call.ClearPendingInvite();
            tx.Respond(statusCode, toTag: call.Dialog.LocalTag);
            End(call, "rejected", sendBye: false);
        }
    }

    internal void HangUp(SipCall call, string reason)
    {
        lock (_stack.SyncRoot)
        {
            if (call.State == SipCallState.Ringing && call.PendingInvite is { } tx)
            {
                call.ClearPendingInvite();
                tx.Respond(480, toTag: call.Dialog.LocalTag);
                End(call, reason, sendBye: false);
                return;
            }

            End(call, reason, sendBye: true);
        }
    }

    internal void Refer(SipCall call, string target, TaskCompletionSource<int> done)
    {
        lock (_stack.SyncRoot)
        {
            if (call.State is not (SipCallState.Active or SipCallState.Answering))
            {
                done.TrySetException(new InvalidOperationException("Only an answered call can be transferred."));
                return;
            }

            if (!SipUri.TryParse(target, out var targetUri))
            {
                done.TrySetException(new ArgumentException("The transfer target is not a URI.", nameof(target)));
                return;
            }

            call.SetReferWaiter(done);
            var refer = call.Dialog.CreateRequest(SipMethods.Refer);
            refer.Headers.Add(SipHeaderNames.ReferTo, "<" + targetUri + ">");
            refer.Headers.Add(SipHeaderNames.ReferredBy, "<" + call.Dialog.LocalUri.Uri + ">");
            SendInDialog(call, refer, response =>
            {
                if (response.StatusCode >= 300)
                {
                    call.CompleteRefer(response.StatusCode);
                }
            });
        }
    }

    private void OnInDialogRequest(SipServerTransaction tx, string toTag)
    {
        var request = tx.Request;
        if (!_byDialog.TryGetValue(SipDialog.KeyOf(request.CallId, toTag), out var call) || call.State == SipCallState.Ended)
        {
            tx.Respond(481);
            return;
        }

        if (!call.Dialog.AcceptRemoteSeq(request))
        {
            tx.Respond(500, "CSeq Out Of Order");
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye:
                tx.Respond(200);
                End(call, "remote_hangup", sendBye: false);
                return;
            case SipMethods.Invite:
                OnReInvite(call, tx);
                return;
            case SipMethods.Update:
                call.Dialog.RefreshTarget(request);
                var updated = tx.Respond(200);
                if (call.SessionTimer is not null)
                {
                    ArmSessionTimer(call);
                }

                _ = updated;
                return;
            case SipMethods.Info:
                if (SipDtmfInfo.TryRead(request.ContentType, request.BodyText, out char digit))
                {
                    tx.Respond(200);
                    var media = call.Media;
                    _ = Task.Run(() => media.RaiseDtmf(digit));
                    return;
                }

                tx.Respond(request.Body.Length == 0 ? 200 : 415);
                return;
            case SipMethods.Notify:
                tx.Respond(200);
                OnReferNotify(call, request);
                return;
            case SipMethods.Options:
                var ok = SipResponseFactory.Create(request, 200);
                AddCapabilities(ok);
                tx.Respond(ok);
                return;
            default:
                tx.Respond(403);
                return;
        }
    }

    private void OnReInvite(SipCall call, SipServerTransaction tx)
    {
        var request = tx.Request;
        if (call.State != SipCallState.Active)
        {
            tx.Respond(491);
            return;
        }

        SipAudioNegotiation? negotiation = call.Negotiation;
        if (request.Body.Length > 0)
        {
            if (!SipAudioSdp.TryNegotiate(request.BodyText, out negotiation))
            {
                tx.Respond(488);
                return;
            }

            call.Negotiation = negotiation;
            call.Media.Configure(negotiation!);
            call.IsOnHold = negotiation!.OfferedDirection is SipMediaDirection.SendOnly or SipMediaDirection.Inactive;
            call.SdpVersion++;
        }

        call.Dialog.RefreshTarget(request);
        var ok = SipResponseFactory.Create(request, 200);
        ok.Headers.Add(SipHeaderNames.Contact, "<" + call.Dialog.LocalContact + ">");
        AddCapabilities(ok);
        if (call.SessionTimer is { } timer)
        {
            ok.Headers.Add(SipHeaderNames.SessionExpires, timer.HeaderValue);
            ArmSessionTimer(call);
        }

        ok.SetBody("application/sdp", LocalSdp(call));
        tx.Respond(ok);
        SipCallLog.Hold(_logger, call.CallId, call.IsOnHold);
    }

    private void OnCancel(SipServerTransaction tx)
    {
        var invite = _stack.FindInviteFor(tx.Request);
        if (invite is null)
        {
            tx.Respond(481, toTag: SipStack.NewTag());
            return;
        }

        tx.Respond(200);
        var call = _byDialog.Values.FirstOrDefault(c => ReferenceEquals(c.PendingInvite, invite));
        if (invite.FinalStatus == 0)
        {
            invite.Respond(487, toTag: call?.Dialog.LocalTag ?? SipStack.NewTag());
        }

        if (call is not null && call.State == SipCallState.Ringing)
        {
            call.ClearPendingInvite();
            End(call, "cancelled", sendBye: false);
        }
    }

    private void OnReferNotify(SipCall call, SipRequest notify)
    {
        if (!(notify.Headers[SipHeaderNames.Event] ?? string.Empty).StartsWith("refer", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // message/sipfrag (RFC 3420): the first line is a Status-Line such as "SIP/2.0 200 OK".
        string frag = notify.BodyText.Split('\n')[0].Trim();
        string[] parts = frag.Split(' ');
        int status = parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : 0;
        bool terminated = (notify.Headers[SipHeaderNames.SubscriptionState] ?? string.Empty).StartsWith("terminated", StringComparison.OrdinalIgnoreCase);
        if (status >= 200 || terminated)
        {
            call.CompleteRefer(status);
            if (status is >= 200 and < 300)
            {
                End(call, "transferred", sendBye: true);
            }
        }
    }

    private void ArmSessionTimer(SipCall call)
    {
        call.SessionTimer!.Arm(_stack.TimerQueue,
            () => End(call, "session_expired", sendBye: true),
            () =>
            {
                if (call.State != SipCallState.Active)
                {
                    return;
                }

                var update = call.Dialog.CreateRequest(SipMethods.Update);
                update.Headers.Add(SipHeaderNames.SessionExpires, call.SessionTimer.HeaderValue);
                update.Headers.Add(SipHeaderNames.Supported, "timer");
                SendInDialog(call, update, response =>
                {
                    if (response.StatusCode is >= 200 and < 300)
                    {
                        ArmSessionTimer(call);
                    }
                    else if (response.StatusCode is 408 or 481)
                    {
                        End(call, "session_refresh_failed", sendBye: response.StatusCode != 481);
                    }
                });
            });
    }

    private void End(SipCall call, string reason, bool sendBye)
    {
        if (!call.MarkEnded(reason))
        {
            return;
        }

        _byDialog.Remove(call.Dialog.Key);
        _byCallId.Remove(call.CallId);
        if (sendBye)
        {
            SendInDialog(call, call.Dialog.CreateRequest(SipMethods.Bye), _ => { });
        }

        SipCallLog.Ended(_logger, call.CallId, reason);
    }

    /// <summary>
    /// Sends an in-dialog request. Over streams it reuses the connection the call came in on (RFC 5923 style);
    /// over UDP it goes to the first route or the remote target when that is an IP literal, else to the address
    /// the INVITE came from.
    /// </summary>
    private void SendInDialog(SipCall call, SipRequest request, Action<SipResponse> onResponse)
    {
        var dialog = call.Dialog;
        var destination = dialog.Remote;
        bool connectionGone = destination.Transport is SipTcpTransport tcp && !tcp.HasConnection(destination.EndPoint);
        if (!destination.IsReliable || connectionGone)
        {
            // UDP, or a stream whose connection closed: go to the route or the remote target (RFC 3261 §12.2.1.1).
            var uri = dialog.RouteSet.Count > 0 ? dialog.RouteSet[0].Uri : dialog.RemoteTarget;
            if (IPAddress.TryParse(uri.HostWithoutBrackets, out var address))
            {
                destination = new SipRemote(destination.Transport, new IPEndPoint(address, uri.Port ?? 5060));
            }
        }

        if (request.Headers[SipHeaderNames.UserAgent] is null)
        {
            request.Headers.Add(SipHeaderNames.UserAgent, _options.UserAgent);
        }

        _stack.SendRequest(request, destination, onResponse);
    }

    internal SipUri LocalContact(SipRemote remote)
    {
        var local = remote.Transport.LocalEndPoint;
        string host = _options.AdvertisedAddress ?? SipStack.FormatHost(local.Address);
        var uri = SipUri.Create("agent", host, local.Port);
        if (remote.Transport.Protocol != "UDP")
        {
            uri.Parameters.Add(new("transport", remote.Transport.Protocol.ToLowerInvariant()));
        }

        return uri;
    }

    private string LocalSdp(SipCall call)
    {
        var n = call.Negotiation;
        var direction = n?.AnswerDirection ?? SipMediaDirection.SendRecv;
        if (n is null)
        {
            // Offerless INVITE: we offer (RFC 3261 §13.2.1) PCMU with telephone-event; the answer comes in the ACK.
            return SipAudioSdp.Write(_mediaAddress, call.Media.LocalEndPoint.Port, 0, "pcmu", 101, direction, call.SdpSessionId, call.SdpVersion);
        }

        return SipAudioSdp.Write(_mediaAddress, call.Media.LocalEndPoint.Port, n.PayloadType, n.Codec, n.TelephoneEventPayloadType, direction, call.SdpSessionId, call.SdpVersion);
    }

    private void AddCapabilities(SipResponse response)
    {
        response.Headers.Add(SipHeaderNames.Allow, SipUasChecks.AllowHeader);
        response.Headers.Add(SipHeaderNames.Supported, string.Join(", ", SipUasChecks.SupportedExtensions));
        response.Headers.Add(SipHeaderNames.Server, _options.UserAgent);
    }

    /// <summary>Ends every live call with BYE (or 480 while ringing): used by <see cref="SipServer.StopAsync"/>.</summary>
    public List<SipCall> HangUpAll()
    {
        lock (_stack.SyncRoot)
        {
            var calls = _byCallId.Values.ToList();
            foreach (var call in calls)
            {
                HangUp(call, "server_shutdown");
            }

            return calls;
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using MediaServer.SipBridge.Auth;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transactions;

namespace MediaServer.SipBridge.Registration;

/// <summary>
/// A registration binding kept alive with a registrar (RFC 3261 §10.2): REGISTER with our Contact, digest
/// challenges answered (§22.2; a new challenge is answered once per attempt), re-registration before the granted
/// expiry on the shared SIP timer queue, and removal (Expires: 0) on <see cref="UnregisterAsync"/>. One Call-ID and
/// an increasing CSeq for all REGISTERs of the binding (§10.2.4).
/// </summary>
public sealed class SipRegistration
{
    private readonly SipStack _stack;
    private readonly SipRemote _registrar;
    private readonly SipUri _registrarUri;
    private readonly SipUri _contact;
    private readonly SipRegistrationOptions _options;
    private readonly string _callId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private readonly string _fromTag = SipStack.NewTag();
    private readonly string _aor;
    private long _cseq;
    private string? _lastChallenge;
    private bool _lastChallengeProxy;
    private int _nonceCount;
    private SipTimerQueue.Entry? _refresh;
    private TaskCompletionSource<int>? _pending;
    private bool _stopped;

    internal SipRegistration(SipStack stack, SipRemote registrar, SipUri registrarUri, SipUri contact, SipRegistrationOptions options)
    {
        _stack = stack;
        _registrar = registrar;
        _registrarUri = registrarUri;
        _contact = contact;
        _options = options;
        _aor = $"sip:{options.Username}@{options.Domain ?? registrarUri.Host}";
    }

    /// <summary>True while a binding is in place.</summary>
    public bool IsRegistered { get; private set; }

    /// <summary>Successful REGISTERs so far (initial plus refreshes).</summary>
    public int SuccessCount { get; private set; }

    /// <summary>Expiry the registrar granted last.</summary>
    public TimeSpan GrantedExpires { get; private set; }

    /// <summary>Final status of the last attempt (0 before any).</summary>
    public int LastStatus { get; private set; }

    /// <summary>Registers (or refreshes); completes with the final status code.</summary>
    internal Task<int> RegisterAsync() => Send(_options.Expires);

    /// <summary>Removes the binding (Expires: 0) and stops refreshing.</summary>
    public Task<int> UnregisterAsync()
    {
        lock (_stack.SyncRoot)
        {
            _stopped = true;
            _refresh?.Cancel();
        }

        return Send(TimeSpan.Zero);
    }

    private Task<int> Send(TimeSpan expires)
    {
        lock (_stack.SyncRoot)
        {
            var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending = done;
            SendRegister(expires, answeredChallenge: false);
            return done.Task;
        }
    }

    private void SendRegister(TimeSpan expires, bool answeredChallenge)
    {
        var request = new SipRequest { Method = SipMethods.Register, Uri = _registrarUri };
        request.Headers.Add(SipHeaderNames.MaxForwards, "70");
        request.Headers.Add(SipHeaderNames.From, $"<{_aor}>;tag={_fromTag}");
        request.Headers.Add(SipHeaderNames.To, $"<{_aor}>");
        request.Headers.Add(SipHeaderNames.CallId, _callId);
        request.Headers.Add(SipHeaderNames.CSeq, new SipCSeq(++_cseq, SipMethods.Register).ToString());
        request.Headers.Add(SipHeaderNames.Contact, $"<{_contact}>");
        request.Headers.Add(SipHeaderNames.Expires, ((long)expires.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        if (_lastChallenge is not null && _options.Password is { } password
            && SipDigest.Answer(_lastChallenge, _options.Username, password, SipMethods.Register, _registrarUri.ToString(), ++_nonceCount) is { } credentials)
        {
            request.Headers.Add(_lastChallengeProxy ? SipHeaderNames.ProxyAuthorization : SipHeaderNames.Authorization, credentials);
        }

        _stack.SendRequest(request, _registrar, response => OnResponse(response, expires, answeredChallenge));
    }

    private void OnResponse(SipResponse response, TimeSpan expires, bool answeredChallenge)
    {
        if (response.StatusCode < 200)
        {
            return;
        }

        if (response.StatusCode is 401 or 407 && !answeredChallenge && _options.Password is not null)
        {
            _lastChallengeProxy = response.StatusCode == 407;
            _lastChallenge = response.Headers[_lastChallengeProxy ? SipHeaderNames.ProxyAuthenticate : SipHeaderNames.WwwAuthenticate];
            _nonceCount = 0;
            SendRegister(expires, answeredChallenge: true);
            return;
        }

        LastStatus = response.StatusCode;
        if (response.StatusCode is >= 200 and < 300)
        {
            SuccessCount++;
            IsRegistered = expires > TimeSpan.Zero;
            GrantedExpires = Granted(response, expires);
            if (IsRegistered && !_stopped)
            {
                _refresh?.Cancel();
                _refresh = _stack.TimerQueue.Schedule(SipRegistrationOptions.RefreshAfter(GrantedExpires), () =>
                {
                    if (!_stopped)
                    {
                        SendRegister(_options.Expires, answeredChallenge: false);
                    }
                });
            }
        }
        else
        {
            IsRegistered = false;
        }

        _pending?.TrySetResult(response.StatusCode);
        _pending = null;
    }

    /// <summary>The granted lifetime: our Contact's expires parameter, else the Expires header, else what we asked (§10.2.4).</summary>
    private TimeSpan Granted(SipResponse response, TimeSpan asked)
    {
        var contacts = new List<SipNameAddress>();
        foreach (var h in response.Headers.Where(h => SipText.NameEquals(h.Name, SipHeaderNames.Contact)))
        {
            SipNameAddress.TryParseList(h.Value, contacts, out _);
        }

        var ours = contacts.FirstOrDefault(c => c.Uri.Host == _contact.Host && c.Uri.Port == _contact.Port) ?? contacts.FirstOrDefault();
        if (ours?.Parameters.Get("expires") is { } e && long.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out long s1))
        {
            return TimeSpan.FromSeconds(s1);
        }

        if (response.Headers[SipHeaderNames.Expires] is { } h2 && long.TryParse(h2.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long s2))
        {
            return TimeSpan.FromSeconds(s2);
        }

        return asked;
    }
}

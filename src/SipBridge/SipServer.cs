using System.Net;
using MediaServer.Rtc.Clock;
using MediaServer.SipBridge.Auth;
using MediaServer.SipBridge.Calls;
using MediaServer.SipBridge.Transactions;
using MediaServer.SipBridge.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.SipBridge;

/// <summary>
/// The SIP trunk endpoint, shaped for <c>IHostedService</c>: <see cref="StartAsync"/> binds UDP and TCP on the
/// configured address and port, <see cref="StopAsync"/> sends BYE to live calls and closes. New calls arrive through
/// <see cref="IncomingCall"/>.
/// </summary>
public sealed class SipServer : IAsyncDisposable
{
    private readonly SipOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly MediaClock _clock;
    private readonly bool _ownsClock;
    private SipStack? _stack;
    private SipUserAgent? _ua;

    /// <param name="options">Settings (validated at start).</param>
    /// <param name="clock">The process media clock; null creates (and owns) one.</param>
    /// <param name="loggers">Logger factory; null logs nothing.</param>
    /// <param name="time">Time source for SIP timers; null is the system clock.</param>
    public SipServer(SipOptions options, MediaClock? clock = null, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        _options = options;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _time = time ?? TimeProvider.System;
        _ownsClock = clock is null;
        _clock = clock ?? new MediaClock(_time);
    }

    /// <summary>Raised for every new inbound call, on the thread pool. Without any handler, calls get 480.</summary>
    public event Action<SipCall>? IncomingCall;

    /// <summary>UDP endpoint once started.</summary>
    public IPEndPoint? UdpEndPoint { get; private set; }

    /// <summary>TCP endpoint once started.</summary>
    public IPEndPoint? TcpEndPoint { get; private set; }

    /// <summary>TLS endpoint once started (when enabled).</summary>
    public IPEndPoint? TlsEndPoint { get; private set; }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadCertificate(SipOptions options)
    {
        string path = options.TlsCertificatePath!;
        if (options.TlsKeyPath is { } key)
        {
            return System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(path, key);
        }

        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(path, options.TlsCertificatePassword);
    }

    /// <summary>The stack (counters, transactions) once started.</summary>
    public SipStack Stack => _stack ?? throw new InvalidOperationException("Not started.");

    /// <summary>The media clock pacing every call (its skipped-tick count shows overload).</summary>
    public MediaClock Clock => _clock;

    /// <summary>Live calls.</summary>
    public IReadOnlyList<SipCall> Calls => _ua?.Calls ?? [];

    /// <summary>
    /// Set when the node drains: new INVITEs and OPTIONS probes are answered 503 so the dispatcher in front sends
    /// new calls elsewhere; live dialogs are not touched.
    /// </summary>
    public bool Draining
    {
        get => _draining;
        set
        {
            _draining = value;
            if (_ua is not null)
            {
                _ua.Draining = value;
            }
        }
    }

    private bool _draining;

    /// <summary>Finds a live call by its realtime id.</summary>
    public SipCall? FindCall(string callId) => _ua?.Find(callId);

    /// <summary>
    /// Places an outbound call to <paramref name="target"/> (a <c>sip:</c> URI; IP literal unless
    /// <see cref="SipOptions.OutboundProxy"/> is set) and completes when it is answered. Throws
    /// <see cref="SipCallFailedException"/> with the final status otherwise; cancelling sends CANCEL.
    /// </summary>
    public Task<SipCall> DialAsync(string target, string? fromUser = null, CancellationToken cancellationToken = default)
    {
        if (_ua is null)
        {
            throw new InvalidOperationException("Not started.");
        }

        if (!Messages.SipUri.TryParse(target, out var uri) || !uri.IsSip)
        {
            throw new ArgumentException("The target must be a sip: URI.", nameof(target));
        }

        var done = new TaskCompletionSource<SipCall>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ua.Dial(uri, fromUser, done, cancellationToken);
        return done.Task;
    }

    /// <summary>
    /// Registers with a trunk's registrar and keeps the binding refreshed; completes after the first attempt.
    /// Throws <see cref="SipCallFailedException"/> when the registrar refuses.
    /// </summary>
    public async Task<Registration.SipRegistration> RegisterAsync(Registration.SipRegistrationOptions options, CancellationToken cancellationToken = default)
    {
        if (_ua is null || _stack is null)
        {
            throw new InvalidOperationException("Not started.");
        }

        if (!Messages.SipUri.TryParse(options.Registrar, out var uri) || !System.Net.IPAddress.TryParse(uri.HostWithoutBrackets, out var address))
        {
            throw new ArgumentException("Registrar must be a sip: URI with an IP address.", nameof(options));
        }

        var transport = _stack.FindTransport(uri.Parameters.Get("transport")?.ToUpperInvariant() ?? "UDP")!;
        var remote = new SipRemote(transport, new IPEndPoint(address, uri.Port ?? 5060));
        var contact = _ua.LocalContact(remote);
        contact.User = options.Username;
        var registration = new Registration.SipRegistration(_stack, remote, uri, contact, options);
        int status = await registration.RegisterAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (status is < 200 or >= 300)
        {
            throw new SipCallFailedException(status);
        }

        return registration;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        var address = IPAddress.Parse(_options.ListenAddress);
        var networks = _options.AllowedNetworks.Select(n => IPNetwork.Parse(n)).ToList();
        bool Trusted(IPAddress source)
        {
            var s = source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;
            return networks.Any(n => n.Contains(s));
        }

        SipDigestAuthenticator? authenticator = _options.DigestUsername is { } user && _options.DigestPassword is { } password
            ? new SipDigestAuthenticator(_options.DigestRealm, user, password, _time)
            : null;
        _stack = new SipStack(_time, _options.Timers, _options.Limits, _loggers.CreateLogger("Sip.Transactions"))
        {
            // Sources off the allow-list are only let in when they can authenticate.
            SourceFilter = source => authenticator is not null || Trusted(source),
        };
        _ua = new SipUserAgent(_stack, _options, _clock, _loggers, Trusted, authenticator) { Draining = _draining };
        _ua.IncomingCall += call => IncomingCall?.Invoke(call);
        _stack.SetCore(_ua);
        var transportLogger = _loggers.CreateLogger("Sip.Transport");
        int port = _options.Port;
        if (_options.EnableUdp)
        {
            var udp = new SipUdpTransport(new IPEndPoint(address, port), transportLogger);
            UdpEndPoint = udp.LocalEndPoint;
            port = udp.LocalEndPoint.Port; // with Port 0, TCP takes the same number as UDP when it can
            _stack.AddTransport(udp);
        }

        if (_options.EnableTcp)
        {
            var tcp = new SipTcpTransport(new IPEndPoint(address, port), _options.Limits, transportLogger);
            TcpEndPoint = tcp.LocalEndPoint;
            _stack.AddTransport(tcp);
        }

        if (_options.EnableTls)
        {
            var certificate = LoadCertificate(_options);
            var tls = new SipTcpTransport(new IPEndPoint(address, _options.TlsPort), _options.Limits, transportLogger, certificate);
            TlsEndPoint = tls.LocalEndPoint;
            _stack.AddTransport(tls);
        }

        _clock.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_ua is null || _stack is null)
        {
            return;
        }

        var calls = _ua.HangUpAll();
        // Give the BYEs a moment to leave and be answered; the call ends locally either way.
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(calls.Count > 0 ? 200 : 0), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _stack.DisposeAsync().ConfigureAwait(false);
        _stack = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (_ownsClock)
        {
            await _clock.DisposeAsync().ConfigureAwait(false);
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using MediaServer.Rtc.Clock;
using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Ice;
using MediaServer.Rtc.Sdp;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtc.WebRtc;

/// <summary>
/// The process's WebRTC front door: one UDP port (ICE-lite mux), one DTLS certificate, one media clock for all
/// calls. <see cref="Accept"/> turns an SDP offer into an answer plus a <see cref="WebRtcPeerConnection"/>.
/// </summary>
public sealed class WebRtcEndpoint : IAsyncDisposable
{
    private readonly WebRtcOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly IceUdpMux _mux;
    private readonly MediaClock _clock;
    private readonly bool _ownsClock;
    private readonly ConcurrentDictionary<string, WebRtcPeerConnection> _connections = new(StringComparer.Ordinal);
    private DtlsCertificate? _certificate;

    /// <summary>Creates the endpoint; <paramref name="clock"/> may be shared with other transports (it is not disposed then).</summary>
    public WebRtcEndpoint(WebRtcOptions options, TimeProvider time, ILoggerFactory loggerFactory, MediaClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("MediaServer.Rtc.WebRtc");
        _mux = new IceUdpMux(options.Ice, time, loggerFactory);
        _ownsClock = clock is null;
        _clock = clock ?? new MediaClock(time, null, loggerFactory.CreateLogger<MediaClock>());
    }

    /// <summary>The bound UDP address.</summary>
    public System.Net.IPEndPoint LocalEndPoint => _mux.LocalEndPoint;

    /// <summary>Our certificate (its fingerprint is in every answer).</summary>
    public DtlsCertificate Certificate => _certificate ?? throw new InvalidOperationException("Not started.");

    /// <summary>Live connections.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>The shared UDP mux (counters for metrics).</summary>
    public IceUdpMux Mux => _mux;

    /// <summary>Makes the certificate, binds the port, warms DTLS up and starts the media clock.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        _certificate = DtlsCertificate.Generate(_time);
        _mux.Start();
        if (_options.WarmUpHandshakes > 0)
        {
            await DtlsWarmUp.RunAsync(_certificate, _options.WarmUpHandshakes, cancellationToken).ConfigureAwait(false);
        }

        if (_ownsClock)
        {
            _clock.Start();
        }

        WebRtcLog.Ready(_logger, _mux.LocalEndPoint, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    /// <summary>Answers <paramref name="offerSdp"/>; on success the connection is live and waits for the peer's checks.</summary>
    public WebRtcAcceptResult Accept(string? offerSdp)
    {
        var certificate = Certificate;
        var credentials = IceCredentials.Generate();
        uint ssrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
        var answer = SdpAnswerer.Answer(offerSdp, new SdpAnswerOptions
        {
            LocalUfrag = credentials.Ufrag,
            LocalPassword = credentials.Password,
            LocalFingerprint = certificate.Fingerprint,
            PreferredRole = _options.PreferredDtlsRole,
            Candidates = _mux.Candidates,
            StreamId = _options.StreamId,
            TrackId = _options.TrackId,
            Ssrc = ssrc,
            SessionId = (ulong)RandomNumberGenerator.GetInt32(int.MaxValue),
            MaxMessageSize = _options.Sctp.MaxMessageSize,
        });
        if (!answer.Succeeded)
        {
            WebRtcLog.OfferRefused(_logger, answer.Error);
            return new WebRtcAcceptResult(answer.Error, answer.Message, null, null);
        }

        var negotiated = answer.Negotiated!;
        var agent = _mux.CreateAgent(credentials, negotiated.RemoteUfrag, negotiated.RemotePassword);
        string id = "rtc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var connection = new WebRtcPeerConnection(id, negotiated, agent, certificate, ssrc, _options, _time,
            _loggerFactory.CreateLogger<WebRtcPeerConnection>());
        _connections[id] = connection;
        connection.StateChanged += (c, state) =>
        {
            if (state == WebRtcConnectionState.Closed)
            {
                _connections.TryRemove(c.Id, out _);
            }
        };
        connection.AttachClock(_clock);
        return new WebRtcAcceptResult(SdpOfferError.None, null, negotiated.AnswerSdp, connection);
    }

    /// <summary>A live connection by id, or null.</summary>
    public WebRtcPeerConnection? Find(string id) => _connections.TryGetValue(id, out var c) ? c : null;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values)
        {
            await connection.CloseAsync("server shutting down").ConfigureAwait(false);
        }

        await _mux.DisposeAsync().ConfigureAwait(false);
        if (_ownsClock)
        {
            await _clock.DisposeAsync().ConfigureAwait(false);
        }
    }
}

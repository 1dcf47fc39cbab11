using MediaServer.Rtc.Sdp;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaServer.Rtc.Dtls;

/// <summary>Receives decrypted DTLS application data (SCTP packets, RFC 8261) on the caller's thread.</summary>
public delegate void DtlsApplicationDataHandler(ReadOnlySpan<byte> data);

/// <summary>Sends one datagram on the connection's ICE path.</summary>
public delegate void DtlsDatagramSender(ReadOnlySpan<byte> datagram);

/// <summary>
/// One peer connection's DTLS-SRTP (RFC 5764) over BouncyCastle, in either role. The handshake runs on its own task
/// (BouncyCastle's API blocks); afterwards inbound records are processed on the mux thread without blocking, and
/// application data (SCTP) is delivered through <see cref="ApplicationData"/>. On completion the SRTP keys are
/// exported; a peer certificate that does not match the SDP fingerprint fails the transport (RFC 5763 section 5).
/// </summary>
public sealed class DtlsSrtpTransport : IDisposable
{
    private static readonly SrtpProfile[] DefaultProfiles = [SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm];

    private readonly object _gate = new();
    private readonly object _pumpLock = new();
    private DtlsState? _deferredEnd;
    private readonly DtlsDatagramQueue _queue;
    private readonly DtlsSrtpPeerSettings _settings;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<SrtpKeyingMaterial> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _receiveBuffer = new byte[16384];
    private DtlsTransport? _dtls;
    private int _started;

    /// <summary>Creates a transport; call <see cref="Start"/> (client) or let the first datagram start it (server).</summary>
    public DtlsSrtpTransport(DtlsRole role, DtlsCertificate certificate, SdpFingerprint remoteFingerprint, DtlsDatagramSender send,
        ILogger logger, IReadOnlyList<SrtpProfile>? profiles = null)
    {
        ArgumentNullException.ThrowIfNull(send);
        Role = role;
        _logger = logger;
        _settings = new DtlsSrtpPeerSettings
        {
            Certificate = certificate,
            RemoteFingerprint = remoteFingerprint,
            Profiles = profiles ?? DefaultProfiles,
        };
        _queue = new DtlsDatagramQueue(d => send(d));
        _queue.Closed += OnTransportClosed;
    }

    /// <summary>Our handshake role.</summary>
    public DtlsRole Role { get; }

    /// <summary>Current state.</summary>
    public DtlsState State { get; private set; } = DtlsState.New;

    /// <summary>Why the transport failed or closed.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>True when the handshake failed because the peer certificate did not match the SDP fingerprint.</summary>
    public bool FingerprintMismatch => _settings.FingerprintMismatch;

    /// <summary>Completes with the SRTP keys when the handshake succeeds; faults when it fails.</summary>
    public Task<SrtpKeyingMaterial> Connected => _connected.Task;

    /// <summary>
    /// Raised on the handshake thread once keys are exported, before any application record is delivered: the
    /// place to set up SRTP and subscribe the SCTP handler so the peer's first INIT is not missed.
    /// </summary>
    public event Action<SrtpKeyingMaterial>? HandshakeCompleted;

    /// <summary>Decrypted application data (SCTP packets).</summary>
    public event DtlsApplicationDataHandler? ApplicationData;

    /// <summary>Raised once when the transport closes or fails, with the reason.</summary>
    public event Action<DtlsState, string>? Ended;

    /// <summary>Datagram size limit handed to BouncyCastle (default 1200); smaller forces fragmented handshake messages.</summary>
    internal int Mtu
    {
        get => _queue.Mtu;
        set => _queue.Mtu = value;
    }

    /// <summary>Records dropped as undecodable or unexpected after the handshake.</summary>
    public long RecordErrors { get; private set; }

    /// <summary>Starts the handshake on a dedicated task. Idempotent.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        State = DtlsState.Connecting;
        _ = Task.Factory.StartNew(Handshake, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Feeds one inbound DTLS datagram (mux thread). The server role starts on the first one.</summary>
    public void OnDatagram(ReadOnlySpan<byte> datagram)
    {
        if (State is DtlsState.Closed or DtlsState.Failed)
        {
            return;
        }

        _queue.Enqueue(datagram);
        if (Role == DtlsRole.Server)
        {
            Start();
        }

        if (_dtls is not null)
        {
            Pump();
        }
    }

    /// <summary>Sends application data (one SCTP packet per record). False unless connected.</summary>
    public bool Send(ReadOnlySpan<byte> data)
    {
        bool failed = false;
        lock (_gate)
        {
            if (_dtls is null || State != DtlsState.Connected)
            {
                return false;
            }

            // BouncyCastle's send takes an array; rent one so nothing is kept or allocated per record.
            var array = System.Buffers.ArrayPool<byte>.Shared.Rent(data.Length);
            try
            {
                data.CopyTo(array);
                _dtls.Send(array, 0, data.Length);
            }
            catch (IOException ex)
            {
                FailLocked("DTLS send failed: " + ex.Message);
                failed = true;
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(array);
            }
        }

        if (failed)
        {
            RaiseDeferredEnd();
        }

        return !failed;
    }

    /// <summary>Sends close_notify and closes.</summary>
    public void Close(string reason = "closed locally")
    {
        lock (_gate)
        {
            if (State is DtlsState.Closed or DtlsState.Failed)
            {
                return;
            }

            CloseReason = reason;
            State = DtlsState.Closed;
            try
            {
                _dtls?.Close();
            }
            catch (IOException)
            {
            }

            _queue.Close();
        }

        _connected.TrySetException(new IOException("DTLS closed before the handshake completed."));
        Ended?.Invoke(DtlsState.Closed, reason);
    }

    /// <inheritdoc/>
    public void Dispose() => Close();

    private void Handshake()
    {
        var crypto = new BcTlsCrypto(new SecureRandom());
        try
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            DtlsTransport dtls = Role == DtlsRole.Client
                ? new DtlsClientProtocol().Connect(new DtlsSrtpClient(crypto, _settings), _queue)
                : new DtlsServerProtocol().Accept(new DtlsSrtpServer(crypto, _settings), _queue);
            var keys = new SrtpKeyingMaterial(_settings.Selected!.Value, _settings.KeyingMaterial, Role);
            lock (_gate)
            {
                if (State != DtlsState.Connecting)
                {
                    dtls.Close();
                    return;
                }

                _queue.NonBlocking = true;
                _dtls = dtls;
                State = DtlsState.Connected;
            }

            DtlsLog.Connected(_logger, Role, keys.Profile, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            HandshakeCompleted?.Invoke(keys);
            _connected.TrySetResult(keys);
            Pump();
        }
#pragma warning disable CA1031 // Any handshake failure (alert, timeout, IO) ends this call only.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            string reason = _settings.FingerprintMismatch
                ? "peer certificate does not match the SDP fingerprint"
                : "DTLS handshake failed: " + ex.Message;
            Fail(reason);
        }
    }

    /// <summary>
    /// Decrypts queued records. BouncyCastle is touched only under <c>_gate</c>; the handler runs outside it (but
    /// under <c>_pumpLock</c>, which keeps records in order and protects the receive buffer), so a handler that
    /// takes its own lock (SCTP) never waits on <c>_gate</c> while another thread holds that lock and sends.
    /// </summary>
    private void Pump()
    {
        lock (_pumpLock)
        {
            while (true)
            {
                int n = ReceiveOneRecord();
                if (n < 0)
                {
                    break;
                }

                ApplicationData?.Invoke(_receiveBuffer.AsSpan(0, n));
            }

            RaiseDeferredEnd();
        }
    }

    private int ReceiveOneRecord()
    {
        lock (_gate)
        {
            var dtls = _dtls;
            if (dtls is null || State != DtlsState.Connected)
            {
                return -1;
            }

            try
            {
                int pending = dtls.ReceivePending(_receiveBuffer, 0, _receiveBuffer.Length, null);
                if (pending >= 0)
                {
                    return pending;
                }

                while (!_queue.IsEmpty && State == DtlsState.Connected)
                {
                    int n = dtls.Receive(_receiveBuffer, 0, _receiveBuffer.Length, 1);
                    if (n >= 0)
                    {
                        return n;
                    }
                }
            }
            catch (TlsFatalAlert alert) when (alert.AlertDescription == AlertDescription.close_notify)
            {
                // Our own queue signalling a close.
            }
            catch (TlsFatalAlertReceived alert)
            {
                FailLocked("peer sent DTLS alert " + AlertDescription.GetText(alert.AlertDescription));
            }
            catch (IOException ex)
            {
                RecordErrors++;
                FailLocked("DTLS record error: " + ex.Message);
            }

            return -1;
        }
    }

    private void OnTransportClosed()
    {
        // BouncyCastle closes the transport on close_notify from the peer, on fatal alerts, and on our Close.
        // This runs inside BouncyCastle (under _gate): the Ended event is raised later, outside the lock.
        if (State == DtlsState.Connected)
        {
            State = DtlsState.Closed;
            CloseReason = "peer closed DTLS";
            DtlsLog.Closed(_logger, CloseReason);
            _deferredEnd = DtlsState.Closed;
        }
    }

    /// <summary>Failure detected under <c>_gate</c>: record it and let the pump raise the events after unlocking.</summary>
    private void FailLocked(string reason)
    {
        if (State is DtlsState.Closed or DtlsState.Failed)
        {
            return;
        }

        State = DtlsState.Failed;
        CloseReason = reason;
        _deferredEnd = DtlsState.Failed;
        _queue.Close();
        DtlsLog.Failed(_logger, reason);
    }

    private void RaiseDeferredEnd()
    {
        DtlsState? end;
        lock (_gate)
        {
            end = _deferredEnd;
            _deferredEnd = null;
        }

        if (end is { } state)
        {
            _connected.TrySetException(new IOException(CloseReason));
            Ended?.Invoke(state, CloseReason ?? state.ToString());
        }
    }

    private void Fail(string reason)
    {
        lock (_gate)
        {
            if (State is DtlsState.Closed or DtlsState.Failed)
            {
                return;
            }

            State = DtlsState.Failed;
            CloseReason = reason;
            _queue.Close();
        }

        DtlsLog.Failed(_logger, reason);
        _connected.TrySetException(new IOException(reason));
        Ended?.Invoke(DtlsState.Failed, reason);
    }
}

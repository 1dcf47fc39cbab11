using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using MediaServer.SipBridge.Messages;
using Microsoft.Extensions.Logging;

namespace MediaServer.SipBridge.Transport;

/// <summary>
/// SIP over TCP, or TLS when given a certificate (RFC 3261 §18, §26.2.1): a listener plus one connection per remote
/// address, reused in both directions (responses go back on the connection the request came in on, §18.2.2). Each
/// connection has a reader with a <see cref="SipStreamFramer"/> and a writer draining a send queue, so sending
/// never blocks the caller. Outbound TLS connections validate the peer's certificate unless
/// <see cref="AcceptAnyServerCertificate"/> is set (tests, private trunks with self-signed certificates).
/// </summary>
public sealed class SipTcpTransport : ISipTransport
{
    private readonly TcpListener _listener;
    private readonly SipParserLimits _limits;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<IPEndPoint, Connection> _connections = new();
    private SipMessageReceived? _onMessage;
    private Task? _acceptLoop;

    private readonly X509Certificate2? _certificate;

    public SipTcpTransport(IPEndPoint bind, SipParserLimits limits, ILogger logger, X509Certificate2? tlsCertificate = null)
    {
        _certificate = tlsCertificate;
        _limits = limits;
        _logger = logger;
        _listener = new TcpListener(bind);
        _listener.Start(128);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndpoint;
    }

    public string Protocol => _certificate is null ? "TCP" : "TLS";

    /// <summary>Most simultaneous connections; more are closed on accept. Default 1024.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>Skip server certificate validation on outbound TLS connections. Default false.</summary>
    public bool AcceptAnyServerCertificate { get; init; }

    public bool IsReliable => true;

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>True when a connection to <paramref name="remote"/> is open (in-dialog requests reuse it).</summary>
    public bool HasConnection(IPEndPoint remote) => _connections.ContainsKey(remote);

    /// <summary>Open connections (for tests and metrics).</summary>
    public int ConnectionCount => _connections.Count;

    public void Start(SipMessageReceived onMessage)
    {
        _onMessage = onMessage;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public void Send(ReadOnlyMemory<byte> message, IPEndPoint remote)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        var connection = _connections.GetOrAdd(remote, r => Connection.Connect(this, r));
        connection.Enqueue(message);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    break;
                }

                continue;
            }

            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            if (_connections.Count >= MaxConnections)
            {
                // Connection flood: refuse rather than let every socket hold a buffer.
                SipTransportLog.ConnectionClosed(_logger, Protocol, remote.ToString(), "connection limit");
                socket.Dispose();
                continue;
            }

            var connection = new Connection(this, remote, socket);
            _connections[remote] = connection;
            connection.Run();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var c in _connections.Values)
        {
            c.Close();
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private sealed class Connection
    {
        private readonly SipTcpTransport _owner;
        private readonly IPEndPoint _remote;
        private readonly Channel<ReadOnlyMemory<byte>> _sendQueue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropWrite });
        private Socket? _socket;
        private Stream? _stream;
        private readonly Task<Socket?>? _connecting;

        public Connection(SipTcpTransport owner, IPEndPoint remote, Socket socket)
        {
            _owner = owner;
            _remote = remote;
            _socket = socket;
        }

        private Connection(SipTcpTransport owner, IPEndPoint remote, Task<Socket?> connecting)
        {
            _owner = owner;
            _remote = remote;
            _connecting = connecting;
        }

        public static Connection Connect(SipTcpTransport owner, IPEndPoint remote)
        {
            var connection = new Connection(owner, remote, ConnectAsync(remote, owner._stop.Token));
            connection.Run();
            return connection;
        }

        private static async Task<Socket?> ConnectAsync(IPEndPoint remote, CancellationToken ct)
        {
            var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(remote, ct).ConfigureAwait(false);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                return null;
            }
        }

        public void Enqueue(ReadOnlyMemory<byte> message) => _sendQueue.Writer.TryWrite(message);

        public void Run()
        {
            _ = Task.Run(async () =>
            {
                if (_connecting is not null)
                {
                    _socket = await _connecting.ConfigureAwait(false);
                    if (_socket is null)
                    {
                        Remove("connect failed");
                        return;
                    }
                }

                _stream = await OpenStreamAsync(_socket!, outbound: _connecting is not null).ConfigureAwait(false);
                if (_stream is null)
                {
                    Remove("TLS handshake failed");
                    return;
                }

                var writer = WriteLoopAsync(_stream);
                await ReadLoopAsync(_stream).ConfigureAwait(false);
                _sendQueue.Writer.TryComplete();
                await writer.ConfigureAwait(false);
            });
        }

        public void Close()
        {
            _sendQueue.Writer.TryComplete();
            _socket?.Dispose();
        }

        private async Task<Stream?> OpenStreamAsync(Socket socket, bool outbound)
        {
            var network = new NetworkStream(socket, ownsSocket: true);
            if (_owner._certificate is not { } certificate)
            {
                return network;
            }

            var tls = new SslStream(network, leaveInnerStreamOpen: false);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_owner._stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                if (outbound)
                {
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = _remote.Address.ToString(),
                        RemoteCertificateValidationCallback = _owner.AcceptAnyServerCertificate ? (_, _, _, _) => true : null,
                    }, timeout.Token).ConfigureAwait(false);
                }
                else
                {
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, timeout.Token).ConfigureAwait(false);
                }

                return tls;
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException)
            {
                SipTransportLog.SendFailed(_owner._logger, "TLS", ex.Message);
                await tls.DisposeAsync().ConfigureAwait(false);
                return null;
            }
        }

        private async Task WriteLoopAsync(Stream stream)
        {
            try
            {
                await foreach (var message in _sendQueue.Reader.ReadAllAsync().ConfigureAwait(false))
                {
                    await stream.WriteAsync(message).ConfigureAwait(false);
                    await stream.FlushAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
            {
                SipTransportLog.SendFailed(_owner._logger, "TCP", ex.Message);
            }
        }

        private async Task ReadLoopAsync(Stream stream)
        {
            var framer = new SipStreamFramer(_owner._limits);
            byte[] buffer = new byte[16 * 1024];
            string reason = "closed by peer";
            try
            {
                while (true)
                {
                    int n = await stream.ReadAsync(buffer, _owner._stop.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    if (!framer.Append(buffer.AsSpan(0, n)))
                    {
                        reason = "message too large";
                        break;
                    }

                    SipStreamFramer.Result result;
                    while ((result = framer.TryNext(out byte[] message)) == SipStreamFramer.Result.Message)
                    {
                        Deliver(message);
                    }

                    if (result == SipStreamFramer.Result.Broken)
                    {
                        reason = "unframeable stream";
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
            {
                reason = ex.GetType().Name;
            }

            Remove(reason);
        }

        private void Deliver(byte[] message)
        {
            try
            {
                _owner._onMessage?.Invoke(_owner, _remote, message);
            }
#pragma warning disable CA1031 // A handler failure must not kill the connection; it is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SipTransportLog.HandlerFailed(_owner._logger, "TCP", ex);
            }
        }

        private void Remove(string reason)
        {
            SipTransportLog.ConnectionClosed(_owner._logger, _owner.Protocol, _remote.ToString(), reason);
            _owner._connections.TryRemove(new KeyValuePair<IPEndPoint, Connection>(_remote, this));
            _stream?.Dispose();
            _socket?.Dispose();
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace MediaServer.SipBridge.Transport;

/// <summary>
/// SIP over UDP (RFC 3261 §18.1.1, §18.2.1): one datagram is one message. A single receive loop per socket,
/// one reusable 64 KiB buffer.
/// </summary>
public sealed class SipUdpTransport : ISipTransport
{
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public SipUdpTransport(IPEndPoint bind, ILogger logger)
    {
        _logger = logger;
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (OperatingSystem.IsWindows())
        {
            // Windows reports ICMP port unreachable as a receive error; ignore it.
            _socket.IOControl(unchecked((int)0x9800000C), [0, 0, 0, 0], null);
        }

        _socket.ReceiveBufferSize = 1 << 20;
        _socket.Bind(bind);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public string Protocol => "UDP";

    public bool IsReliable => false;

    public IPEndPoint LocalEndPoint { get; }

    public void Start(SipMessageReceived onMessage) => _loop = Task.Run(() => ReceiveLoopAsync(onMessage));

    public void Send(ReadOnlyMemory<byte> message, IPEndPoint remote)
    {
        try
        {
            _socket.SendTo(message.Span, SocketFlags.None, remote);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            SipTransportLog.SendFailed(_logger, Protocol, ex.Message);
        }
    }

    private async Task ReceiveLoopAsync(SipMessageReceived onMessage)
    {
        byte[] buffer = new byte[65_536];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                SipTransportLog.ReceiveFailed(_logger, Protocol, ex.SocketErrorCode.ToString());
                continue;
            }

            try
            {
                onMessage(this, (IPEndPoint)result.RemoteEndPoint, buffer.AsSpan(0, result.ReceivedBytes));
            }
#pragma warning disable CA1031 // The receive loop must survive any handler failure; it is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SipTransportLog.HandlerFailed(_logger, Protocol, ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}

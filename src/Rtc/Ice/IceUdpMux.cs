using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MediaServer.Rtc.Stun;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtc.Ice;

/// <summary>
/// One UDP socket for every WebRTC peer connection. Datagrams are classified by first byte (RFC 7983);
/// STUN Binding requests go to the agent whose ufrag leads USERNAME, everything else to the agent that validated
/// the source address. Unknown, unroutable or malformed datagrams are dropped and counted, never thrown on.
/// One receive loop and one housekeeping timer serve all connections.
/// </summary>
public sealed class IceUdpMux : IDatagramSender, IAsyncDisposable
{
    private readonly IceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, IceLiteAgent> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SocketAddress, IceLiteAgent> _byAddress = new();
    private readonly CancellationTokenSource _stop = new();
    private Socket? _socket;
    private Task? _receiveLoop;
    private ITimer? _timer;
    private int _loggedDropReasons;

    /// <summary>Creates the mux; call <see cref="Start"/> to bind.</summary>
    public IceUdpMux(IceOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("MediaServer.Rtc.Ice");
    }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_socket?.LocalEndPoint ?? throw new InvalidOperationException("Not started."));

    /// <summary>Host candidates to advertise in answers.</summary>
    public IReadOnlyList<IceCandidate> Candidates { get; private set; } = [];

    /// <summary>Datagrams received.</summary>
    public long DatagramsReceived => Interlocked.Read(ref _received);

    /// <summary>Datagrams dropped (unknown kind, no agent for the ufrag or address, malformed STUN).</summary>
    public long DatagramsDropped => Interlocked.Read(ref _dropped);

    /// <summary>Connections currently registered.</summary>
    public int AgentCount => _byUfrag.Count;

    private long _received;
    private long _dropped;

    /// <summary>Binds the socket and starts the receive loop and the timer.</summary>
    public void Start()
    {
        var socket = new Socket(_options.BindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 * 1024 * 1024;
        socket.SendBufferSize = 4 * 1024 * 1024;
        socket.Bind(new IPEndPoint(_options.BindAddress, _options.Port));
        _socket = socket;
        int port = LocalEndPoint.Port;
        var addresses = new List<IPEndPoint>();
        if (_options.PublicAddress is { } publicAddress)
        {
            addresses.Add(new IPEndPoint(publicAddress, port));
        }

        foreach (var address in _options.AdvertisedAddresses)
        {
            addresses.Add(new IPEndPoint(address, port));
        }

        if (addresses.Count == 0)
        {
            var bound = _options.BindAddress;
            addresses.Add(new IPEndPoint(bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : bound, port));
        }

        Candidates = IceCandidate.HostCandidates(addresses);
        IceLog.Listening(_logger, socket.LocalEndPoint!);
        _receiveLoop = Task.Factory.StartNew(ReceiveLoopAsync, TaskCreationOptions.LongRunning).Unwrap();
        _timer = _time.CreateTimer(_ => Tick(), null, _options.TickInterval, _options.TickInterval);
    }

    /// <summary>Creates and registers the agent of a new peer connection.</summary>
    public IceLiteAgent CreateAgent(IceCredentials local, string remoteUfrag, string remotePassword)
    {
        ArgumentNullException.ThrowIfNull(local);
        var agent = new IceLiteAgent(local, remoteUfrag, remotePassword, this, _time, _options, _loggerFactory.CreateLogger<IceLiteAgent>());
        if (!_byUfrag.TryAdd(local.Ufrag, agent))
        {
            throw new InvalidOperationException("Duplicate local ufrag.");
        }

        agent.AddressValidated += (a, address) => _byAddress[address] = a;
        agent.StateChanged += (a, state) =>
        {
            if (state is IceConnectionState.Closed or IceConnectionState.Failed)
            {
                Forget(a);
            }
        };
        return agent;
    }

    /// <inheritdoc/>
    public void Send(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        var socket = _socket;
        if (socket is null)
        {
            return;
        }

        try
        {
            socket.SendTo(datagram, SocketFlags.None, destination);
        }
        catch (SocketException)
        {
            // UDP send errors (buffer full, ICMP unreachable) are packet loss as far as the protocols go.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Routes one received datagram. Public for in-memory tests; the receive loop calls it.</summary>
    public void Dispatch(ReadOnlySpan<byte> datagram, SocketAddress source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Interlocked.Increment(ref _received);
        var kind = DatagramClassifier.Classify(datagram);
        switch (kind)
        {
            case DatagramKind.Stun:
                DispatchStun(datagram, source);
                break;
            case DatagramKind.Dtls or DatagramKind.Rtp or DatagramKind.Rtcp:
                if (_byAddress.TryGetValue(source, out var agent) && agent.Handler is { } handler)
                {
                    handler.OnDatagram(kind, datagram);
                }
                else
                {
                    Drop(kind, 1, "no validated connection for the source address");
                }

                break;
            default:
                Drop(kind, 2, "not STUN, DTLS, RTP or RTCP (RFC 7983)");
                break;
        }
    }

    /// <summary>Runs every agent's housekeeping (consent freshness).</summary>
    public void Tick()
    {
        foreach (var agent in _byUfrag.Values)
        {
            agent.Tick();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _timer?.Dispose();
        _socket?.Dispose();
        if (_receiveLoop is not null)
        {
            try
            {
                await _receiveLoop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        foreach (var agent in _byUfrag.Values)
        {
            agent.Close();
        }

        _stop.Dispose();
    }

    private void DispatchStun(ReadOnlySpan<byte> datagram, SocketAddress source)
    {
        if (StunMessage.TryParse(datagram, out var message) != StunParseError.None)
        {
            Drop(DatagramKind.Stun, 3, "malformed STUN");
            return;
        }

        if (message.Type != StunMessageType.BindingRequest)
        {
            return; // Indications are keep-alives; a lite agent sends no requests so expects no responses.
        }

        var username = message.Username;
        int colon = username.IndexOf((byte)':');
        if (colon <= 0 || colon > 256)
        {
            Drop(DatagramKind.Stun, 4, "binding request without a valid USERNAME");
            return;
        }

        Span<char> ufrag = stackalloc char[colon];
        for (int i = 0; i < colon; i++)
        {
            ufrag[i] = (char)username[i];
        }

        var lookup = _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(ufrag, out var agent))
        {
            Drop(DatagramKind.Stun, 5, "binding request for an unknown ufrag");
            return;
        }

        var outcome = agent.HandleStun(message, source);
        if (outcome is IceCheckOutcome.BadIntegrity or IceCheckOutcome.BadUsername or IceCheckOutcome.BadFingerprint or IceCheckOutcome.RoleConflict)
        {
            Drop(DatagramKind.Stun, 6 + (int)outcome, "check refused: " + outcome);
        }
    }

    private void Drop(DatagramKind kind, int reasonBit, string reason)
    {
        long count = Interlocked.Increment(ref _dropped);
        int bit = 1 << (reasonBit & 31);
        if ((Interlocked.Or(ref _loggedDropReasons, bit) & bit) == 0)
        {
            IceLog.Dropped(_logger, kind, reason, count); // Once per reason: garbage floods must not flood logs.
        }
    }

    private void Forget(IceLiteAgent agent)
    {
        _byUfrag.TryRemove(new KeyValuePair<string, IceLiteAgent>(agent.Local.Ufrag, agent));
        foreach (var pair in _byAddress)
        {
            if (ReferenceEquals(pair.Value, agent))
            {
                _byAddress.TryRemove(pair);
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var socket = _socket!;
        var buffer = GC.AllocateArray<byte>(65536, pinned: true);
        var source = new SocketAddress(socket.AddressFamily);
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await socket.ReceiveFromAsync(buffer, SocketFlags.None, source, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted || token.IsCancellationRequested)
            {
                // Closing the socket while a receive is pending surfaces as an aborted operation, not a cancellation.
                break;
            }

            try
            {
                Dispatch(buffer.AsSpan(0, length), source);
            }
#pragma warning disable CA1031 // One bad datagram or one faulty connection must not stop the port for every call.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                IceLog.ReceiveFailed(_logger, ex);
            }
        }
    }
}

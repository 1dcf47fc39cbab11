using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using MediaServer.Rtc.Stun;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtc.Ice;

/// <summary>
/// The ICE-lite side of one peer connection (RFC 8445 section 2.5): answers the peer's connectivity checks,
/// takes the source address of the nominated check as the path (peer-reflexive is fine, we never parse the
/// peer's candidates), and ends the connection when consent lapses (RFC 7675: no valid check for 30 s).
/// Thread-safe: checks arrive on the mux thread, <see cref="Tick"/> on the shared timer.
/// </summary>
public sealed class IceLiteAgent
{
    private readonly object _lock = new();
    private readonly IDatagramSender _sender;
    private readonly TimeProvider _time;
    private readonly IceOptions _options;
    private readonly ILogger _logger;
    private readonly byte[] _localKey;
    private readonly byte[] _expectedUsername;
    private readonly ulong _tieBreaker;
    private readonly long _createdAt;
    private long _lastValidCheck;
    private SocketAddress? _selected;
    private IPEndPoint? _selectedEndPoint;
    private bool _nominated;

    /// <summary>Creates an agent; <see cref="IceUdpMux.CreateAgent"/> registers it for demultiplexing.</summary>
    public IceLiteAgent(IceCredentials local, string remoteUfrag, string remotePassword, IDatagramSender sender,
        TimeProvider time, IceOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remoteUfrag);
        Local = local;
        RemoteUfrag = remoteUfrag;
        RemotePassword = remotePassword;
        _sender = sender;
        _time = time;
        _options = options;
        _logger = logger;
        _localKey = Encoding.UTF8.GetBytes(local.Password);
        _expectedUsername = Encoding.UTF8.GetBytes(local.Ufrag + ":" + remoteUfrag);
        _tieBreaker = BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(8));
        _createdAt = time.GetTimestamp();
    }

    /// <summary>Our credentials (the USERNAME left part and the MESSAGE-INTEGRITY key of inbound checks).</summary>
    public IceCredentials Local { get; }

    /// <summary>The peer's ufrag from its SDP.</summary>
    public string RemoteUfrag { get; }

    /// <summary>The peer's password (a lite agent never sends checks; kept for completeness and logs).</summary>
    public string RemotePassword { get; }

    /// <summary>Current state.</summary>
    public IceConnectionState State { get; private set; } = IceConnectionState.New;

    /// <summary>Current role; controlled unless a role conflict made us controlling.</summary>
    public IceRole Role { get; private set; } = IceRole.Controlled;

    /// <summary>Why the agent failed, when <see cref="State"/> is <see cref="IceConnectionState.Failed"/>.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>The remote address media goes to: the nominated one, else the latest validated.</summary>
    public IPEndPoint? SelectedEndPoint
    {
        get
        {
            lock (_lock)
            {
                return _selectedEndPoint;
            }
        }
    }

    /// <summary>Valid checks answered.</summary>
    public long ChecksAccepted { get; private set; }

    /// <summary>Checks refused (integrity, username, role conflict).</summary>
    public long ChecksRejected { get; private set; }

    /// <summary>Receives this connection's DTLS/RTP/RTCP datagrams.</summary>
    public IIceDatagramHandler? Handler { get; set; }

    /// <summary>Raised on every state change, outside the agent's lock.</summary>
    public event Action<IceLiteAgent, IceConnectionState>? StateChanged;

    /// <summary>Raised when an address passes a check, so the mux can route its other datagrams here.</summary>
    internal event Action<IceLiteAgent, SocketAddress>? AddressValidated;

    /// <summary>
    /// Handles a STUN message from <paramref name="source"/> whose USERNAME starts with our ufrag, answering it
    /// through the sender. <paramref name="source"/> may be reused by the caller after return.
    /// </summary>
    public IceCheckOutcome HandleStun(in StunMessage message, SocketAddress source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (message.Type != StunMessageType.BindingRequest)
        {
            return IceCheckOutcome.Ignored;
        }

        // RFC 8489 section 14.7: FINGERPRINT is optional in STUN but mandatory in ICE (RFC 8445 section 7.2.2).
        if (!message.VerifyFingerprint())
        {
            return Reject(IceCheckOutcome.BadFingerprint);
        }

        Span<byte> response = stackalloc byte[256];
        if (!message.Username.SequenceEqual(_expectedUsername))
        {
            SendError(message, source, StunErrorCode.Unauthenticated, "Unauthenticated", withIntegrity: false, response);
            return Reject(IceCheckOutcome.BadUsername);
        }

        if (!message.VerifyMessageIntegrity(_localKey))
        {
            SendError(message, source, StunErrorCode.Unauthenticated, "Unauthenticated", withIntegrity: false, response);
            return Reject(IceCheckOutcome.BadIntegrity);
        }

        IceConnectionState? changed = null;
        bool nominated;
        SocketAddress? newlyValidated = null;
        lock (_lock)
        {
            if (State is IceConnectionState.Closed or IceConnectionState.Failed)
            {
                return IceCheckOutcome.Closed;
            }

            if (ResolveRoleConflict(message) is false)
            {
                ChecksRejected++;
                SendError(message, source, StunErrorCode.RoleConflict, "Role Conflict", withIntegrity: true, response);
                return IceCheckOutcome.RoleConflict;
            }

            ChecksAccepted++;
            _lastValidCheck = _time.GetTimestamp();
            bool useCandidate = message.HasAttribute(StunAttributeType.UseCandidate) || Role == IceRole.Controlling;
            if (_selected is null || !_selected.Equals(source))
            {
                // Follow the peer to a new address only before nomination or when it nominates that address.
                if (!_nominated || useCandidate)
                {
                    _selected = Copy(source);
                    _selectedEndPoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(_selected);
                    newlyValidated = _selected;
                }
                else
                {
                    newlyValidated = Copy(source);
                }
            }

            nominated = useCandidate;
            if (useCandidate)
            {
                _nominated = true;
            }

            var next = useCandidate ? IceConnectionState.Connected : (State == IceConnectionState.New ? IceConnectionState.Checking : State);
            if (next != State)
            {
                State = next;
                changed = next;
            }
        }

        if (newlyValidated is not null)
        {
            AddressValidated?.Invoke(this, newlyValidated);
        }

        SendSuccess(message, source, response);
        if (changed is { } state)
        {
            IceLog.StateChanged(_logger, Local.Ufrag, state);
            StateChanged?.Invoke(this, state);
        }

        return nominated ? IceCheckOutcome.Nominated : IceCheckOutcome.Accepted;
    }

    /// <summary>Sends a datagram on the selected path; false when there is none yet or the agent is closed.</summary>
    public bool Send(ReadOnlySpan<byte> datagram)
    {
        SocketAddress? destination;
        lock (_lock)
        {
            destination = State is IceConnectionState.Closed or IceConnectionState.Failed ? null : _selected;
        }

        if (destination is null)
        {
            return false;
        }

        _sender.Send(datagram, destination);
        return true;
    }

    /// <summary>
    /// Housekeeping from the shared timer: consent expiry (RFC 7675 section 5.1) and the connect timeout.
    /// </summary>
    public void Tick()
    {
        string? reason = null;
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            if (State is IceConnectionState.Checking or IceConnectionState.Connected
                && _time.GetElapsedTime(_lastValidCheck, now) >= _options.ConsentTimeout)
            {
                reason = "consent expired: no valid ICE check for " + _options.ConsentTimeout.TotalSeconds + " s";
            }
            else if (State == IceConnectionState.New && _time.GetElapsedTime(_createdAt, now) >= _options.ConnectTimeout)
            {
                reason = "no ICE connectivity check received";
            }

            if (reason is null)
            {
                return;
            }

            State = IceConnectionState.Failed;
            FailureReason = reason;
        }

        IceLog.Failed(_logger, Local.Ufrag, reason);
        StateChanged?.Invoke(this, IceConnectionState.Failed);
    }

    /// <summary>Stops answering checks and sending; the mux forgets the agent.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (State == IceConnectionState.Closed)
            {
                return;
            }

            State = IceConnectionState.Closed;
        }

        StateChanged?.Invoke(this, IceConnectionState.Closed);
    }

    /// <summary>
    /// RFC 8445 section 7.3.1.1. Returns false when a 487 must be sent; may switch our role.
    /// </summary>
    private bool? ResolveRoleConflict(in StunMessage message)
    {
        if (Role == IceRole.Controlled && message.TryGetTieBreaker(StunAttributeType.IceControlled, out ulong theirs))
        {
            if (_tieBreaker >= theirs)
            {
                Role = IceRole.Controlling;
                return true;
            }

            return false;
        }

        if (Role == IceRole.Controlling && message.TryGetTieBreaker(StunAttributeType.IceControlling, out theirs))
        {
            if (_tieBreaker >= theirs)
            {
                return false;
            }

            Role = IceRole.Controlled;
        }

        return true;
    }

    private void SendSuccess(in StunMessage request, SocketAddress source, Span<byte> buffer)
    {
        var endPoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(source);
        var w = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, request.TransactionId);
        w.AddXorMappedAddress(endPoint);
        w.AddMessageIntegrity(_localKey);
        w.AddFingerprint();
        _sender.Send(w.Written, source);
    }

    private void SendError(in StunMessage request, SocketAddress source, int code, string reason, bool withIntegrity, Span<byte> buffer)
    {
        var w = new StunMessageWriter(buffer, StunMessageType.BindingError, request.TransactionId);
        w.AddErrorCode(code, reason);
        if (withIntegrity)
        {
            w.AddMessageIntegrity(_localKey);
        }

        w.AddFingerprint();
        _sender.Send(w.Written, source);
    }

    private IceCheckOutcome Reject(IceCheckOutcome outcome)
    {
        lock (_lock)
        {
            ChecksRejected++;
        }

        return outcome;
    }

    private static SocketAddress Copy(SocketAddress source)
    {
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtc.Sctp;

/// <summary>Sends one SCTP packet (to DTLS, RFC 8261).</summary>
public delegate void SctpPacketSender(ReadOnlySpan<byte> packet);

/// <summary>
/// One SCTP association over DTLS (RFC 9260 as profiled by RFC 8261 and RFC 8831): four-way handshake with a
/// cookie, DATA/SACK with fragmentation, ordered reassembly, retransmission (T3-rtx and fast retransmit), the
/// RFC 9260 section 7.2 congestion window, HEARTBEAT, ABORT, graceful SHUTDOWN, and RFC 6525 stream resets
/// (how data channels close). Thread-safe: packets arrive on the receive thread, sends come from any thread,
/// timers from <see cref="HandleTimers"/> driven by one shared clock. Events fire outside the lock.
/// </summary>
public sealed class SctpAssociation
{
    private const ushort StreamCount = 65535;

    private readonly object _lock = new();
    private readonly SctpOptions _options;
    private readonly TimeProvider _time;
    private readonly SctpPacketSender _send;
    private readonly ILogger _logger;
    private readonly byte[] _packet;
    private readonly List<Action> _events = [];

    // Handshake
    private readonly uint _myTag;
    private readonly uint _myInitialTsn;
    private uint _peerTag;
    private byte[]? _issuedCookie;
    private byte[]? _cookieToEcho;
    private long _t1Deadline;
    private TimeSpan _t1Rto;
    private int _t1Count;

    // Peer parameters learned from INIT / INIT ACK.
    private uint _peerInitialTsn;
    private bool _peerInitialTsnKnown;

    private readonly SctpDataSender _sender;
    private readonly SctpDataReceiver _receiver;
    private readonly List<(ushort Stream, uint Ppid, byte[] Data)> _delivered = [];
    private bool _sackNeeded;
    private uint _reconfigRequestSeq;
    private uint _peerReconfigSeq;
    private long _lastActivity;
    private int _heartbeatsOutstanding;
    private long _shutdownDeadline;

    /// <summary>Creates an association in <see cref="SctpState.Closed"/>; call <see cref="Connect"/> or let an INIT arrive.</summary>
    public SctpAssociation(SctpOptions options, TimeProvider time, SctpPacketSender send, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time;
        _send = send;
        _logger = logger;
        _packet = new byte[options.MaxPacketSize];
        _myTag = RandomNonZero();
        _myInitialTsn = RandomNonZero();
        _sender = new SctpDataSender(options, time, _myInitialTsn);
        _receiver = new SctpDataReceiver(options.ReceiveWindow, options.MaxMessageSize);
        _reconfigRequestSeq = _myInitialTsn;
        _lastActivity = time.GetTimestamp();
        _t1Rto = options.RtoInitial;
    }

    /// <summary>Current state.</summary>
    public SctpState State { get; private set; } = SctpState.Closed;

    /// <summary>Our verification tag (what the peer must put in its packets); for tests and fuzzing.</summary>
    internal uint LocalVerificationTag => _myTag;

    /// <summary>Why the association ended.</summary>
    public string? TerminationReason { get; private set; }

    /// <summary>Packets dropped as malformed, with a bad checksum or a wrong verification tag.</summary>
    public long PacketsDropped { get; private set; }

    /// <summary>DATA chunks retransmitted (timeouts and fast retransmit).</summary>
    public long Retransmissions => _sender.Retransmissions;

    /// <summary>Current congestion window in bytes (RFC 9260 section 7.2).</summary>
    public int CongestionWindow => _sender.Cwnd;

    /// <summary>Current retransmission timeout.</summary>
    public TimeSpan Rto => _sender.Rto;

    /// <summary>Payload bytes queued or unacknowledged (the data channel bufferedAmount).</summary>
    public long BufferedBytes
    {
        get
        {
            lock (_lock)
            {
                return _sender.BufferedBytes;
            }
        }
    }

    /// <summary>Raised once when the association is established.</summary>
    public event Action? Established;

    /// <summary>A complete user message: stream, payload protocol identifier, payload.</summary>
    public event Action<ushort, uint, byte[]>? MessageReceived;

    /// <summary>The peer reset its outgoing stream (the data channel on it is closing, RFC 8831 section 6.7).</summary>
    public event Action<ushort>? StreamReset;

    /// <summary>Raised once when the association ends, with the reason.</summary>
    public event Action<string>? Terminated;

    /// <summary>Starts the handshake by sending INIT (RFC 9260 section 5.1).</summary>
    public void Connect()
    {
        lock (_lock)
        {
            if (State != SctpState.Closed)
            {
                return;
            }

            State = SctpState.CookieWait;
            _t1Count = 0;
            SendInit();
        }

        FlushEvents();
    }

    /// <summary>Handles one inbound SCTP packet (a DTLS application record). Never throws on bad input.</summary>
    public void HandlePacket(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            if (State == SctpState.Terminated)
            {
                return;
            }

            var error = SctpPacket.TryParse(bytes, out var packet);
            if (error != SctpParseError.None)
            {
                Drop(error.ToString());
                return;
            }

            if (packet.DestinationPort != _options.LocalPort)
            {
                Drop("wrong destination port");
                return;
            }

            ProcessPacket(packet);
            Transmit();
        }

        FlushEvents();
    }

    /// <summary>Runs due timers (T1, T3-rtx, heartbeat, shutdown). Call every few tens of milliseconds.</summary>
    public void HandleTimers()
    {
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            if (State is SctpState.CookieWait or SctpState.CookieEchoed && _t1Deadline != 0 && now >= _t1Deadline)
            {
                OnT1Expired();
            }

            if (_sender.T3Deadline != 0 && now >= _sender.T3Deadline)
            {
                OnT3Expired();
            }

            if (State == SctpState.Established && _sender.Inflight.Count == 0 && _time.GetElapsedTime(_lastActivity, now) >= _options.HeartbeatInterval)
            {
                SendHeartbeat();
            }

            if (State is SctpState.ShutdownSent or SctpState.ShutdownAckSent && _shutdownDeadline != 0 && now >= _shutdownDeadline)
            {
                if (++_t1Count > _options.MaxRetransmissions)
                {
                    Terminate("shutdown not acknowledged", sendAbort: true);
                }
                else
                {
                    SendControl(State == SctpState.ShutdownSent ? SctpChunkType.Shutdown : SctpChunkType.ShutdownAck);
                }
            }

            Transmit();
        }

        FlushEvents();
    }

    /// <summary>Sends ABORT and ends the association (RFC 9260 section 9.1).</summary>
    public void Abort(string reason)
    {
        lock (_lock)
        {
            Terminate(reason, sendAbort: true);
        }

        FlushEvents();
    }

    /// <summary>Starts a graceful shutdown (RFC 9260 section 9.2) once queued data is acknowledged.</summary>
    public void Shutdown()
    {
        lock (_lock)
        {
            if (State == SctpState.Established)
            {
                State = SctpState.ShutdownPending;
                TryProgressShutdown();
            }
            else if (State is SctpState.Closed or SctpState.CookieWait or SctpState.CookieEchoed)
            {
                Terminate("closed before establishment", sendAbort: State != SctpState.Closed);
            }
        }

        FlushEvents();
    }

    private void ProcessPacket(SctpPacket packet)
    {
        uint vtag = packet.VerificationTag;
        foreach (var chunk in packet.Chunks)
        {
            // RFC 9260 section 8.5: the tag must be ours, except INIT (tag 0) and T-bit ABORT/SHUTDOWN COMPLETE.
            bool tBit = (chunk.Flags & 1) != 0;
            bool tagOk = chunk.Type switch
            {
                SctpChunkType.Init => vtag == 0,
                SctpChunkType.Abort or SctpChunkType.ShutdownComplete when tBit => vtag == _peerTag,
                SctpChunkType.CookieEcho => vtag == _myTag,
                _ => vtag == _myTag,
            };
            if (!tagOk)
            {
                Drop("verification tag mismatch");
                return;
            }

            _lastActivity = _time.GetTimestamp();
            switch (chunk.Type)
            {
                case SctpChunkType.Init: OnInit(chunk.Value); return;
                case SctpChunkType.InitAck: OnInitAck(chunk.Value); return;
                case SctpChunkType.CookieEcho: OnCookieEcho(chunk.Value); break;
                case SctpChunkType.CookieAck: OnCookieAck(); break;
                case SctpChunkType.Data: OnData(chunk.Flags, chunk.Value); break;
                case SctpChunkType.Sack: OnSack(chunk.Value); break;
                case SctpChunkType.Heartbeat: OnHeartbeat(chunk.Value); break;
                case SctpChunkType.HeartbeatAck: _heartbeatsOutstanding = 0; _sender.ErrorCount = 0; break;
                case SctpChunkType.Abort: Terminate("peer sent ABORT", sendAbort: false); return;
                case SctpChunkType.Shutdown: OnShutdown(chunk.Value); break;
                case SctpChunkType.ShutdownAck: OnShutdownAck(); return;
                case SctpChunkType.ShutdownComplete:
                    if (State == SctpState.ShutdownAckSent)
                    {
                        Terminate("shutdown complete", sendAbort: false);
                    }

                    return;
                case SctpChunkType.ReConfig: OnReConfig(chunk.Value); break;
                case SctpChunkType.ForwardTsn: OnForwardTsn(chunk.Value); break;
                case SctpChunkType.Error: break;
                default:
                    // RFC 9260 section 3.2: the two high bits of the type say whether to skip or stop.
                    if ((chunk.Type & 0x80) == 0)
                    {
                        Drop("unknown chunk type, stop processing");
                        return;
                    }

                    break;
            }

            if (State == SctpState.Terminated)
            {
                return;
            }
        }
    }

    private void OnInit(ReadOnlySpan<byte> value)
    {
        if (value.Length < 16 || !TryReadInitCommon(value, out uint initiateTag, out uint rwnd, out uint initialTsn) || initiateTag == 0)
        {
            Drop("malformed INIT");
            return;
        }

        if (State is SctpState.Established or SctpState.ShutdownPending or SctpState.ShutdownSent or SctpState.ShutdownReceived or SctpState.ShutdownAckSent
            && initiateTag != _peerTag)
        {
            Drop("INIT for a restart is not supported");
            return;
        }

        // RFC 9260 section 5.2.1: in COOKIE-WAIT / COOKIE-ECHOED we answer with our existing tag (initialisation
        // collision: both WebRTC peers may send INIT).
        _peerTag = initiateTag;
        _sender.PeerRwnd = rwnd;
        _peerInitialTsn = initialTsn;
        _peerInitialTsnKnown = true;
        _issuedCookie ??= RandomNumberGenerator.GetBytes(32);
        var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, _peerTag);
        int cookieParam = 4 + _issuedCookie.Length;
        var v = writer.BeginChunk(SctpChunkType.InitAck, 0, 16 + cookieParam + 8);
        WriteInitCommon(v);
        BinaryPrimitives.WriteUInt16BigEndian(v[16..], 7); // State Cookie
        BinaryPrimitives.WriteUInt16BigEndian(v[18..], (ushort)cookieParam);
        _issuedCookie.CopyTo(v[20..]);
        WriteSupportedExtensions(v[(16 + cookieParam)..]);
        _send(writer.Finish());
    }

    private void OnInitAck(ReadOnlySpan<byte> value)
    {
        if (State != SctpState.CookieWait)
        {
            return; // RFC 9260 section 5.2.3: discard an unexpected INIT ACK.
        }

        if (!TryReadInitCommon(value, out uint initiateTag, out uint rwnd, out uint initialTsn) || initiateTag == 0)
        {
            Drop("malformed INIT ACK");
            return;
        }

        byte[]? cookie = null;
        int offset = 16;
        while (offset + 4 <= value.Length)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(value[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(value[(offset + 2)..]);
            if (length < 4 || offset + length > value.Length)
            {
                break;
            }

            if (type == 7)
            {
                cookie = value.Slice(offset + 4, length - 4).ToArray();
            }

            offset += (length + 3) & ~3;
        }

        if (cookie is null || cookie.Length == 0 || cookie.Length > 512)
        {
            Drop("INIT ACK without a state cookie");
            return;
        }

        _peerTag = initiateTag;
        _sender.PeerRwnd = rwnd;
        _peerInitialTsn = initialTsn;
        _peerInitialTsnKnown = true;
        _cookieToEcho = cookie;
        State = SctpState.CookieEchoed;
        _t1Count = 0;
        SendCookieEcho();
    }

    private void OnCookieEcho(ReadOnlySpan<byte> cookie)
    {
        if (_issuedCookie is null || !CryptographicOperations.FixedTimeEquals(cookie, _issuedCookie) || !_peerInitialTsnKnown)
        {
            Drop("unknown state cookie");
            return;
        }

        if (State is SctpState.Closed or SctpState.CookieWait or SctpState.CookieEchoed)
        {
            BecomeEstablished();
        }

        var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, _peerTag);
        writer.BeginChunk(SctpChunkType.CookieAck, 0, 0);
        _send(writer.Finish());
    }

    private void OnCookieAck()
    {
        if (State == SctpState.CookieEchoed)
        {
            BecomeEstablished();
        }
    }

    private void BecomeEstablished()
    {
        State = SctpState.Established;
        _t1Deadline = 0;
        _receiver.Start(_peerInitialTsn);
        SctpLog.Established(_logger, _options.LocalPort);
        _events.Add(() => Established?.Invoke());
    }

    private void OnHeartbeat(ReadOnlySpan<byte> value)
    {
        var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, _peerTag);
        if (SctpPacketWriter.ChunkSize(value.Length) > writer.Remaining)
        {
            return;
        }

        writer.AddChunk(SctpChunkType.HeartbeatAck, 0, value);
        _send(writer.Finish());
    }

    private void SendHeartbeat()
    {
        if (++_heartbeatsOutstanding > _options.MaxRetransmissions)
        {
            Terminate("peer stopped answering heartbeats", sendAbort: true);
            return;
        }

        var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, _peerTag);
        var v = writer.BeginChunk(SctpChunkType.Heartbeat, 0, 12);
        BinaryPrimitives.WriteUInt16BigEndian(v, 1); // Heartbeat Info
        BinaryPrimitives.WriteUInt16BigEndian(v[2..], 12);
        BinaryPrimitives.WriteInt64BigEndian(v[4..], _time.GetTimestamp());
        _send(writer.Finish());
        _lastActivity = _time.GetTimestamp();
    }

    private void OnShutdown(ReadOnlySpan<byte> value)
    {
        if (value.Length >= 4)
        {
            _sender.ProcessCumulativeAck(BinaryPrimitives.ReadUInt32BigEndian(value));
        }

        if (State is SctpState.Established or SctpState.ShutdownPending or SctpState.ShutdownReceived)
        {
            State = SctpState.ShutdownReceived;
            TryProgressShutdown();
        }
        else if (State == SctpState.ShutdownSent)
        {
            // Both sides shut down at once (section 9.2): answer with SHUTDOWN ACK.
            State = SctpState.ShutdownAckSent;
            SendControl(SctpChunkType.ShutdownAck);
        }
    }

    private void OnShutdownAck()
    {
        if (State is SctpState.ShutdownSent or SctpState.ShutdownAckSent)
        {
            var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, _peerTag);
            writer.BeginChunk(SctpChunkType.ShutdownComplete, 0, 0);
            _send(writer.Finish());
            Terminate("shutdown complete", sendAbort: false);
        }
    }

    private void TryProgressShutdown()
    {
        if (_sender.Inflight.Count != 0 || _sender.Pending.Count != 0)
        {
            return;
        }

        if (State == SctpState.ShutdownPending)
        {
            State = SctpState.ShutdownSent;
            _t1Count = 0;
            SendControl(SctpChunkType.Shutdown);
        }
        else if (State == SctpState.ShutdownReceived)
        {
            State = SctpState.ShutdownAckSent;
            _t1Count = 0;
            SendControl(SctpChunkType.ShutdownAck);
        }
    }

    private void SendControl(byte type)
    {
        var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, _peerTag);
        if (type == SctpChunkType.Shutdown)
        {
            BinaryPrimitives.WriteUInt32BigEndian(writer.BeginChunk(type, 0, 4), _receiver.CumTsn);
        }
        else
        {
            writer.BeginChunk(type, 0, 0);
        }

        _send(writer.Finish());
        _shutdownDeadline = _time.GetTimestamp() + (long)(_t1Rto.TotalSeconds * _time.TimestampFrequency);
    }

    private void OnT1Expired()
    {
        if (++_t1Count > _options.MaxInitRetransmissions)
        {
            Terminate("association setup timed out", sendAbort: false);
            return;
        }

        _t1Rto = Min(_t1Rto * 2, _options.RtoMax);
        if (State == SctpState.CookieWait)
        {
            SendInit();
        }
        else
        {
            SendCookieEcho();
        }
    }

    private void SendInit()
    {
        var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, 0);
        var v = writer.BeginChunk(SctpChunkType.Init, 0, 16 + 8);
        WriteInitCommon(v);
        WriteSupportedExtensions(v[16..]);
        _send(writer.Finish());
        _t1Deadline = _time.GetTimestamp() + (long)(_t1Rto.TotalSeconds * _time.TimestampFrequency);
    }

    private void SendCookieEcho()
    {
        var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, _peerTag);
        writer.AddChunk(SctpChunkType.CookieEcho, 0, _cookieToEcho);
        _send(writer.Finish());
        _t1Deadline = _time.GetTimestamp() + (long)(_t1Rto.TotalSeconds * _time.TimestampFrequency);
    }

    /// <summary>INIT / INIT ACK fixed part (section 3.3.2): tag, a_rwnd, OS, MIS, initial TSN.</summary>
    private void WriteInitCommon(Span<byte> v)
    {
        BinaryPrimitives.WriteUInt32BigEndian(v, _myTag);
        BinaryPrimitives.WriteUInt32BigEndian(v[4..], (uint)_options.ReceiveWindow);
        BinaryPrimitives.WriteUInt16BigEndian(v[8..], StreamCount);
        BinaryPrimitives.WriteUInt16BigEndian(v[10..], StreamCount);
        BinaryPrimitives.WriteUInt32BigEndian(v[12..], _myInitialTsn);
    }

    /// <summary>Supported Extensions parameter (RFC 5061 section 4.2.7): RE-CONFIG, for data channel close.</summary>
    private static void WriteSupportedExtensions(Span<byte> v)
    {
        BinaryPrimitives.WriteUInt16BigEndian(v, 0x8008);
        BinaryPrimitives.WriteUInt16BigEndian(v[2..], 5);
        v[4] = SctpChunkType.ReConfig;
        v[5] = v[6] = v[7] = 0;
    }

    private static bool TryReadInitCommon(ReadOnlySpan<byte> v, out uint initiateTag, out uint rwnd, out uint initialTsn)
    {
        initiateTag = rwnd = initialTsn = 0;
        if (v.Length < 16)
        {
            return false;
        }

        initiateTag = BinaryPrimitives.ReadUInt32BigEndian(v);
        rwnd = BinaryPrimitives.ReadUInt32BigEndian(v[4..]);
        ushort os = BinaryPrimitives.ReadUInt16BigEndian(v[8..]);
        ushort mis = BinaryPrimitives.ReadUInt16BigEndian(v[10..]);
        initialTsn = BinaryPrimitives.ReadUInt32BigEndian(v[12..]);
        return os != 0 && mis != 0;
    }

    /// <summary>
    /// Queues a user message on <paramref name="stream"/> with payload protocol <paramref name="ppid"/>
    /// (RFC 8831 section 8). False when not established, empty, too large, or the send buffer is full.
    /// </summary>
    public bool Send(ushort stream, uint ppid, ReadOnlySpan<byte> data, bool ordered = true)
    {
        lock (_lock)
        {
            if (State != SctpState.Established || !_sender.Enqueue(stream, ppid, data, ordered))
            {
                return false;
            }

            Transmit();
        }

        FlushEvents();
        return true;
    }

    /// <summary>
    /// Resets our outgoing <paramref name="stream"/> (RFC 6525 Outgoing SSN Reset Request): how a data channel
    /// is closed (RFC 8831 section 6.7).
    /// </summary>
    public void ResetStream(ushort stream)
    {
        lock (_lock)
        {
            if (State != SctpState.Established)
            {
                return;
            }

            SendResetRequest(stream);
        }
    }

    private void OnData(byte flags, ReadOnlySpan<byte> value)
    {
        if (State is not (SctpState.Established or SctpState.ShutdownPending or SctpState.ShutdownSent))
        {
            return;
        }

        _receiver.OnData(flags, value, _delivered);
        _sackNeeded = true;
        foreach (var (stream, ppid, data) in _delivered)
        {
            _events.Add(() => MessageReceived?.Invoke(stream, ppid, data));
        }

        _delivered.Clear();
    }

    private void OnSack(ReadOnlySpan<byte> value)
    {
        if (!_sender.OnSack(value))
        {
            Drop("malformed SACK");
            return;
        }

        TryProgressShutdown();
    }

    private void OnForwardTsn(ReadOnlySpan<byte> value)
    {
        if (value.Length >= 4)
        {
            _receiver.OnForwardTsn(BinaryPrimitives.ReadUInt32BigEndian(value));
            _sackNeeded = true;
        }
    }

    /// <summary>RE-CONFIG (RFC 6525 section 4): answer Outgoing SSN Reset Requests, ignore responses.</summary>
    private void OnReConfig(ReadOnlySpan<byte> value)
    {
        int offset = 0;
        while (offset + 4 <= value.Length)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(value[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(value[(offset + 2)..]);
            if (length < 4 || offset + length > value.Length)
            {
                Drop("malformed RE-CONFIG");
                return;
            }

            if (type == 13 && length >= 16)
            {
                // Outgoing SSN Reset Request: request seq, response seq, sender's last TSN, stream ids.
                uint requestSeq = BinaryPrimitives.ReadUInt32BigEndian(value[(offset + 4)..]);
                _peerReconfigSeq = requestSeq;
                for (int i = offset + 16; i + 2 <= offset + length; i += 2)
                {
                    ushort stream = BinaryPrimitives.ReadUInt16BigEndian(value[i..]);
                    _receiver.ResetStream(stream);
                    _events.Add(() => StreamReset?.Invoke(stream));
                }

                SendReconfigResponse(requestSeq);
            }

            offset += (length + 3) & ~3;
        }
    }

    private void SendReconfigResponse(uint requestSeq)
    {
        var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, _peerTag);
        var v = writer.BeginChunk(SctpChunkType.ReConfig, 0, 12);
        BinaryPrimitives.WriteUInt16BigEndian(v, 16); // Re-configuration Response Parameter
        BinaryPrimitives.WriteUInt16BigEndian(v[2..], 12);
        BinaryPrimitives.WriteUInt32BigEndian(v[4..], requestSeq);
        BinaryPrimitives.WriteUInt32BigEndian(v[8..], 1); // Success - Performed
        _send(writer.Finish());
    }

    private void SendResetRequest(ushort stream)
    {
        var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, _peerTag);
        var v = writer.BeginChunk(SctpChunkType.ReConfig, 0, 20);
        BinaryPrimitives.WriteUInt16BigEndian(v, 13);
        BinaryPrimitives.WriteUInt16BigEndian(v[2..], 18);
        BinaryPrimitives.WriteUInt32BigEndian(v[4..], _reconfigRequestSeq++);
        BinaryPrimitives.WriteUInt32BigEndian(v[8..], _peerReconfigSeq);
        BinaryPrimitives.WriteUInt32BigEndian(v[12..], _sender.NextTsn - 1);
        BinaryPrimitives.WriteUInt16BigEndian(v[16..], stream);
        _send(writer.Finish());
        _sender.ResetOutgoingSsn(stream);
    }

    private void OnT3Expired()
    {
        if (!_sender.OnT3Expired())
        {
            Terminate("too many retransmissions", sendAbort: true);
        }
    }

    /// <summary>Sends a pending SACK and as much queued data as the windows allow, bundled into packets.</summary>
    private void Transmit()
    {
        if (State is SctpState.Closed or SctpState.CookieWait or SctpState.CookieEchoed or SctpState.Terminated)
        {
            return;
        }

        while (true)
        {
            var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, _peerTag);
            if (_sackNeeded)
            {
                _sackNeeded = false;
                _receiver.WriteSack(writer.BeginChunk(SctpChunkType.Sack, 0, _receiver.SackLength));
            }

            int written = _sender.Fill(ref writer);
            if (writer.Length == SctpPacket.HeaderLength)
            {
                break;
            }

            _send(writer.Finish());
            if (written == 0)
            {
                break;
            }
        }
    }

    private void Terminate(string reason, bool sendAbort)
    {
        if (State == SctpState.Terminated)
        {
            return;
        }

        if (sendAbort && _peerTag != 0)
        {
            var writer = new SctpPacketWriter(_packet, _options.LocalPort, _options.RemotePort, _peerTag);
            writer.BeginChunk(SctpChunkType.Abort, 0, 0);
            _send(writer.Finish());
        }

        State = SctpState.Terminated;
        TerminationReason = reason;
        _t1Deadline = 0;
        _sender.Clear();
        SctpLog.Terminated(_logger, reason);
        _events.Add(() => Terminated?.Invoke(reason));
    }

    private void Drop(string reason)
    {
        PacketsDropped++;
        if (PacketsDropped == 1)
        {
            SctpLog.Dropped(_logger, reason);
        }
    }

    private void FlushEvents()
    {
        Action[] events;
        lock (_lock)
        {
            if (_events.Count == 0)
            {
                return;
            }

            events = [.. _events];
            _events.Clear();
        }

        foreach (var e in events)
        {
            e();
        }
    }

    private static uint RandomNonZero()
    {
        uint v;
        do
        {
            v = BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4));
        }
        while (v == 0);
        return v;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

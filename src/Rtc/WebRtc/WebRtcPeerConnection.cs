using System.Buffers.Binary;
using System.Security.Cryptography;
using MediaServer.Rtc.Clock;
using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Dtmf;
using MediaServer.Rtc.Ice;
using MediaServer.Rtc.Jitter;
using MediaServer.Rtc.Rtp;
using MediaServer.Rtc.Sctp;
using MediaServer.Rtc.Sdp;
using MediaServer.Rtc.Srtp;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtc.WebRtc;

/// <summary>Receives one decoded 20 ms frame of 48 kHz mono PCM (960 samples), valid only during the call.</summary>
public delegate void AudioFrameHandler(ReadOnlySpan<short> pcm48kMono20ms);

/// <summary>
/// One browser call: an ICE-lite agent, a DTLS-SRTP transport, SRTP contexts, an SCTP association with data
/// channels, an Opus decoder behind a jitter buffer and an Opus encoder, held as fields (composition, as pion's
/// PeerConnection). Inbound audio comes out as 20 ms frames on the media clock; outbound audio is queued and
/// paced one frame per tick. Created by <see cref="WebRtcEndpoint.Accept"/>.
/// </summary>
public sealed class WebRtcPeerConnection : IIceDatagramHandler, IMediaClockSubscriber, IAsyncDisposable
{
    private const int FrameSamples = 960;
    private const string EventChannelLabel = "oai-events";

    private readonly WebRtcOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IceLiteAgent _ice;
    private readonly DtlsSrtpTransport _dtls;
    private readonly WebRtcOfferAnswer _negotiated;
    private readonly IAudioDecoder _decoder;
    private readonly JitterBuffer _jitter;
    private readonly IAudioEncoder _encoder;
    private readonly TelephoneEventReceiver _dtmf = new();
    private readonly OutboundAudioQueue _outbound;
    private readonly object _receiveLock = new();
    private readonly object _sendLock = new();
    private readonly object _stateLock = new();
    private readonly byte[] _receiveBuffer = new byte[1500];
    private readonly byte[] _sendBuffer = new byte[1500];
    private readonly byte[] _rtcpBuffer = new byte[512];
    private readonly WebRtcRtcpSession _rtcp = new("mediaserver");
    private readonly short[] _inFrame = new short[FrameSamples];
    private readonly short[] _outFrame = new short[FrameSamples];
    private readonly long _createdAt;
    private readonly uint _ssrc;
    private SrtpContext? _srtpIn;
    private SrtpContext? _srtpOut;
    private SctpAssociation? _sctp;
    private DataChannelManager? _channels;
    private RtpReceiveStatistics? _receiveStats;
    private IDisposable? _clockSubscription;
    private bool _receivingAudio;
    private ushort _sequence;
    private uint _timestamp;
    private bool _marker = true;
    private long _packetsReceived, _bytesReceived, _packetsSent, _bytesSent, _srtpErrors, _rtcpReceived;
    private long _messagesReceived, _messagesSent, _dtmfDigits;
    private TimeSpan? _timeToConnect;
    private long _tickCount;
    private long _connectedAt;

    internal WebRtcPeerConnection(string id, WebRtcOfferAnswer negotiated, IceLiteAgent ice, DtlsCertificate certificate, uint ssrc,
        WebRtcOptions options, TimeProvider time, ILogger logger)
    {
        Id = id;
        _negotiated = negotiated;
        _options = options;
        _time = time;
        _logger = logger;
        _ice = ice;
        _ssrc = ssrc;
        _createdAt = time.GetTimestamp();
        _sequence = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue);
        _timestamp = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        _outbound = new OutboundAudioQueue((int)(options.MaxQueuedOutput.TotalSeconds * 48000));
        _decoder = AudioCodecFactory.CreateOpusDecoder(48000, 1, options.OpusImplementation);
        _jitter = new JitterBuffer(_decoder, 48000, options.JitterBuffer with { PayloadType = negotiated.OpusPayloadType });
        _encoder = AudioCodecFactory.CreateOpusEncoder(options.Opus with { SampleRate = 48000, Channels = 1 }, options.OpusImplementation);
        _dtls = new DtlsSrtpTransport(negotiated.DtlsRole, certificate, negotiated.RemoteFingerprint, d => _ice.Send(d), logger, [.. options.SrtpProfiles]);
        _dtls.HandshakeCompleted += OnDtlsConnected;
        _dtls.Ended += (_, reason) => Close("dtls: " + reason);
        _ice.StateChanged += OnIceStateChanged;
        _ice.Handler = this;
    }

    /// <summary>Call id (random, URL-safe).</summary>
    public string Id { get; }

    /// <summary>What the offer/answer settled.</summary>
    public WebRtcOfferAnswer Negotiated => _negotiated;

    /// <summary>Current state.</summary>
    public WebRtcConnectionState State { get; private set; } = WebRtcConnectionState.New;

    /// <summary>Why the connection closed (consent lost, peer closed, fingerprint mismatch, hangup, ...).</summary>
    public string? CloseReason { get; private set; }

    /// <summary>The peer's address on the nominated path.</summary>
    public System.Net.IPEndPoint? RemoteEndPoint => _ice.SelectedEndPoint;

    /// <summary>The negotiated SRTP profile once connected.</summary>
    public SrtpProfile? SrtpProfile => _srtpIn?.Profile;

    /// <summary>Agent audio queued and not yet sent.</summary>
    public TimeSpan QueuedAudio => TimeSpan.FromSeconds(_outbound.Count / 48000.0);

    /// <summary>State changes; <see cref="WebRtcConnectionState.Closed"/> is raised exactly once.</summary>
    public event Action<WebRtcPeerConnection, WebRtcConnectionState>? StateChanged;

    /// <summary>One decoded inbound frame per 20 ms once the peer's audio has started (on the media clock thread).</summary>
    public event AudioFrameHandler? AudioFrameReceived;

    /// <summary>A DTMF digit (RFC 4733 event end).</summary>
    public event Action<char>? DtmfReceived;

    /// <summary>A data channel opened (by the peer, usually <c>oai-events</c>).</summary>
    public event Action<DataChannel>? DataChannelOpened;

    /// <summary>A text message on a data channel: channel label, text.</summary>
    public event Action<string, string>? TextReceived;

    /// <summary>A data channel closed.</summary>
    public event Action<DataChannel>? DataChannelClosed;

    /// <summary>
    /// Queues agent audio (48 kHz mono, any length). It goes out in 20 ms Opus packets, one per media clock tick,
    /// never in bursts; nothing is sent while the queue is empty.
    /// </summary>
    public void EnqueueAudio(ReadOnlySpan<short> pcm48kMono) => _outbound.Enqueue(pcm48kMono);

    /// <summary>Barge-in: drops all queued agent audio; returns how much was dropped.</summary>
    public TimeSpan ClearAudio() => TimeSpan.FromSeconds(_outbound.Clear() / 48000.0);

    /// <summary>
    /// Encodes one 20 ms frame (960 samples at 48 kHz mono) to Opus and sends it as SRTP now, bypassing the queue
    /// (the caller paces). False unless connected and allowed to send audio.
    /// </summary>
    public bool SendAudio(ReadOnlySpan<short> pcm48kMono20ms)
    {
        if (pcm48kMono20ms.Length != FrameSamples)
        {
            throw new ArgumentException("Expected 960 samples (20 ms at 48 kHz).", nameof(pcm48kMono20ms));
        }

        lock (_sendLock)
        {
            var srtp = _srtpOut;
            if (srtp is null || State != WebRtcConnectionState.Connected || !_negotiated.SendAudio)
            {
                return false;
            }

            var buffer = _sendBuffer.AsSpan();
            var header = new RtpHeader
            {
                Marker = _marker,
                PayloadType = _negotiated.OpusPayloadType,
                SequenceNumber = _sequence,
                Timestamp = _timestamp,
                Ssrc = _ssrc,
            };
            int headerLength = RtpPacket.WriteHeader(header, buffer);
            int payload = _encoder.Encode(pcm48kMono20ms, buffer[headerLength..(buffer.Length - srtp.RtpOverhead)]);
            _sequence++;
            _timestamp += FrameSamples;
            if (payload <= 0)
            {
                return false;
            }

            _marker = false;
            if (srtp.ProtectRtp(buffer, headerLength + payload, out int length) != SrtpError.None)
            {
                return false;
            }

            _packetsSent++;
            _bytesSent += payload;
            return _ice.Send(buffer[..length]);
        }
    }

    /// <summary>Sends text on the open data channel with <paramref name="label"/>. False when there is none or it is full.</summary>
    public bool SendText(string label, string text)
    {
        var channel = _channels?.Find(label);
        if (channel is null || !channel.SendText(text))
        {
            return false;
        }

        Interlocked.Increment(ref _messagesSent);
        return true;
    }

    /// <summary>Sends on the <c>oai-events</c> channel (the Realtime events channel).</summary>
    public bool TrySendEvent(string json) => SendText(EventChannelLabel, json);

    /// <summary>Counters for logs and metrics.</summary>
    public WebRtcCallStats GetStats()
    {
        JitterBufferStatistics jitter;
        long lost;
        double jitterMs;
        lock (_receiveLock)
        {
            jitter = _jitter.Statistics;
            lost = _receiveStats?.CumulativeLost ?? 0;
            jitterMs = _receiveStats?.JitterMilliseconds ?? 0;
        }

        return new WebRtcCallStats
        {
            PacketsReceived = Interlocked.Read(ref _packetsReceived),
            BytesReceived = Interlocked.Read(ref _bytesReceived),
            PacketsLost = Math.Max(0, lost),
            JitterMs = jitterMs,
            PacketsSent = Interlocked.Read(ref _packetsSent),
            BytesSent = Interlocked.Read(ref _bytesSent),
            SrtpErrors = Interlocked.Read(ref _srtpErrors),
            RtcpPacketsReceived = Interlocked.Read(ref _rtcpReceived),
            MessagesReceived = Interlocked.Read(ref _messagesReceived),
            MessagesSent = Interlocked.Read(ref _messagesSent),
            SctpRetransmissions = _sctp?.Retransmissions ?? 0,
            DtmfDigits = Interlocked.Read(ref _dtmfDigits),
            JitterBuffer = jitter,
            TimeToConnect = _timeToConnect,
            RoundTripTime = _rtcp.RoundTripTime,
            RemoteFractionLost = _rtcp.RemoteFractionLost,
            RemotePacketsLost = _rtcp.RemoteCumulativeLost,
        };
    }

    /// <summary>Ends the call: SCTP ABORT, DTLS close_notify, ICE stops answering. Idempotent.</summary>
    public ValueTask CloseAsync(string reason = "hangup")
    {
        Close(reason);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => CloseAsync("disposed");

    /// <inheritdoc/>
    void IIceDatagramHandler.OnDatagram(DatagramKind kind, ReadOnlySpan<byte> datagram)
    {
        switch (kind)
        {
            case DatagramKind.Dtls:
                _dtls.OnDatagram(datagram);
                break;
            case DatagramKind.Rtp:
                OnRtp(datagram);
                break;
            case DatagramKind.Rtcp:
                OnRtcp(datagram);
                break;
        }
    }

    /// <inheritdoc/>
    void IMediaClockSubscriber.OnTick(in MediaClockTick tick)
    {
        if (State != WebRtcConnectionState.Connected)
        {
            return;
        }

        if (_receivingAudio)
        {
            lock (_receiveLock)
            {
                _jitter.Pull(_inFrame, _time.GetElapsedTime(_createdAt)); // same time line as Push
            }

            AudioFrameReceived?.Invoke(_inFrame);
        }

        if (_outbound.TryDequeue(_outFrame, padPartial: true))
        {
            SendAudio(_outFrame);
        }
        else
        {
            lock (_sendLock)
            {
                // Nothing to send: the RTP clock still runs (RFC 3550 section 5.1), and the next packet starts a
                // talk spurt with the marker bit (RFC 3551 section 4.1).
                _timestamp += FrameSamples;
                _marker = true;
            }
        }

        if (++_tickCount % 5 == 0 && _sctp is { } sctp)
        {
            // libwebrtc and browsers send INIT in both DTLS roles; a peer that waits for ours gets it after 1 s
            // (an INIT collision is handled by RFC 9260 section 5.2.1 either way).
            if (sctp.State == SctpState.Closed && _time.GetElapsedTime(_connectedAt) > TimeSpan.FromSeconds(1))
            {
                sctp.Connect();
            }

            sctp.HandleTimers();
        }

        if (_tickCount % 50 == 0)
        {
            SendRtcpReport(); // once a second, as WebRTC stacks do for audio
        }
    }

    /// <summary>The shared media clock that paces this connection (set when the endpoint accepts it).</summary>
    public MediaClock? Clock { get; private set; }

    internal void AttachClock(MediaClock clock)
    {
        Clock = clock;
        _clockSubscription = clock.Subscribe(this);
    }

    private void SendRtcpReport()
    {
        RtpReceptionReport? block = null;
        lock (_receiveLock)
        {
            if (_receiveStats is not null)
            {
                block = _receiveStats.CreateReport(_time.GetElapsedTime(_createdAt));
            }
        }

        lock (_sendLock)
        {
            var srtp = _srtpOut;
            if (srtp is null)
            {
                return;
            }

            var buffer = _rtcpBuffer.AsSpan();
            ulong ntp = Rtcp.NtpTime.FromDateTime(_time.GetUtcNow());
            int length = _rtcp.Build(buffer, _ssrc, _packetsSent > 0, ntp, _timestamp, (uint)_packetsSent, (uint)_bytesSent, block);
            if (srtp.ProtectRtcp(buffer, length, out int protectedLength) == SrtpError.None)
            {
                _ice.Send(buffer[..protectedLength]);
            }
        }
    }

    private void OnIceStateChanged(IceLiteAgent agent, IceConnectionState state)
    {
        switch (state)
        {
            case IceConnectionState.Checking or IceConnectionState.Connected:
                SetState(WebRtcConnectionState.Connecting);
                if (_negotiated.DtlsRole == DtlsRole.Client)
                {
                    _dtls.Start(); // we send the ClientHello as soon as there is a path (NOTES-WEBRTC.md)
                }

                break;
            case IceConnectionState.Failed:
                Close("ice: " + (agent.FailureReason ?? "failed"));
                break;
        }
    }

    /// <summary>Runs on the DTLS handshake thread before any application record is delivered.</summary>
    private void OnDtlsConnected(SrtpKeyingMaterial keys)
    {
        lock (_sendLock)
        {
            _srtpOut = new SrtpContext(keys.Profile, keys.LocalMasterKey, keys.LocalMasterSalt);
        }

        lock (_receiveLock)
        {
            _srtpIn = new SrtpContext(keys.Profile, keys.RemoteMasterKey, keys.RemoteMasterSalt);
        }

        if (_negotiated.DataMid is not null)
        {
            var sctpOptions = new SctpOptions
            {
                LocalPort = 5000,
                RemotePort = (ushort)_negotiated.RemoteSctpPort,
                MaxPacketSize = _options.Sctp.MaxPacketSize,
                ReceiveWindow = _options.Sctp.ReceiveWindow,
                MaxMessageSize = (int)Math.Min(_options.Sctp.MaxMessageSize, Math.Min(int.MaxValue, _negotiated.RemoteMaxMessageSize)),
                RtoInitial = _options.Sctp.RtoInitial,
                RtoMin = _options.Sctp.RtoMin,
                RtoMax = _options.Sctp.RtoMax,
            };
            var sctp = new SctpAssociation(sctpOptions, _time, p => _dtls.Send(p), _logger);
            var channels = new DataChannelManager(sctp, _negotiated.DtlsRole);
            channels.ChannelOpened += c => DataChannelOpened?.Invoke(c);
            channels.ChannelClosed += c => DataChannelClosed?.Invoke(c);
            channels.TextReceived += (c, text) =>
            {
                Interlocked.Increment(ref _messagesReceived);
                TextReceived?.Invoke(c.Label, text);
            };
            channels.BinaryReceived += (_, _) => Interlocked.Increment(ref _messagesReceived);
            _sctp = sctp;
            _channels = channels;
            _dtls.ApplicationData += sctp.HandlePacket; // libwebrtc sends INIT in both DTLS roles; we answer.
        }

        _connectedAt = _time.GetTimestamp();
        _timeToConnect = _time.GetElapsedTime(_createdAt);
        WebRtcLog.Connected(_logger, Id, keys.Profile, _timeToConnect.Value.TotalMilliseconds);
        SetState(WebRtcConnectionState.Connected);
    }

    private void OnRtp(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > _receiveBuffer.Length)
        {
            Interlocked.Increment(ref _srtpErrors);
            return;
        }

        char? digit = null;
        bool started = false;
        lock (_receiveLock)
        {
            var srtp = _srtpIn;
            if (srtp is null)
            {
                return;
            }

            var buffer = _receiveBuffer.AsSpan(0, datagram.Length);
            datagram.CopyTo(buffer);
            if (srtp.UnprotectRtp(buffer, datagram.Length, out int length) != SrtpError.None || !RtpPacket.TryRead(buffer[..length], out var packet))
            {
                _srtpErrors++;
                return;
            }

            var now = _time.GetElapsedTime(_createdAt);
            _packetsReceived++;
            _bytesReceived += packet.Payload.Length;
            _receiveStats ??= new RtpReceiveStatistics(packet.Ssrc, 48000);
            if (packet.Ssrc == _receiveStats.Ssrc)
            {
                _receiveStats.Update(packet.SequenceNumber, packet.Timestamp, now);
            }

            if (packet.PayloadType == _negotiated.OpusPayloadType)
            {
                _jitter.Push(packet, now);
                started = !_receivingAudio;
                _receivingAudio = true;
            }
            else if (packet.PayloadType == _negotiated.TelephoneEventPayloadType)
            {
                var outcome = _dtmf.Process(packet.Payload, packet.Timestamp, packet.Marker, out var ev);
                if (outcome is TelephoneEventOutcome.Ended or TelephoneEventOutcome.BeganAndEnded)
                {
                    char d = TelephoneEvent.ToDigit(ev.Event);
                    if (d != '\0')
                    {
                        digit = d;
                        _dtmfDigits++;
                    }
                }
            }
        }

        if (started)
        {
            WebRtcLog.AudioStarted(_logger, Id);
        }

        if (digit is { } c)
        {
            DtmfReceived?.Invoke(c);
        }
    }

    private void OnRtcp(ReadOnlySpan<byte> datagram)
    {
        lock (_receiveLock)
        {
            var srtp = _srtpIn;
            if (srtp is null || datagram.Length > _receiveBuffer.Length)
            {
                return;
            }

            var buffer = _receiveBuffer.AsSpan(0, datagram.Length);
            datagram.CopyTo(buffer);
            if (srtp.UnprotectRtcp(buffer, datagram.Length, out int length) != SrtpError.None)
            {
                _srtpErrors++;
                return;
            }

            _rtcpReceived++;
            _rtcp.OnCompound(buffer[..length], _ssrc, _receiveStats, _time.GetElapsedTime(_createdAt), Rtcp.NtpTime.FromDateTime(_time.GetUtcNow()));
        }
    }

    private void Close(string reason)
    {
        lock (_stateLock)
        {
            if (State == WebRtcConnectionState.Closed)
            {
                return;
            }

            State = WebRtcConnectionState.Closed;
            CloseReason = reason;
        }

        _clockSubscription?.Dispose();
        try
        {
            _sctp?.Abort("closing");
        }
        finally
        {
            _dtls.Close(reason);
            _ice.Close();
        }

        var stats = GetStats();
        WebRtcLog.Closed(_logger, Id, reason, stats.PacketsReceived, stats.PacketsLost, stats.JitterMs, stats.PacketsSent);
        StateChanged?.Invoke(this, WebRtcConnectionState.Closed);
        lock (_sendLock)
        {
            _srtpOut?.Dispose();
            _srtpOut = null;
            _encoder.Dispose();
        }

        lock (_receiveLock)
        {
            _srtpIn?.Dispose();
            _srtpIn = null;
            _decoder.Dispose();
        }
    }

    private void SetState(WebRtcConnectionState state)
    {
        lock (_stateLock)
        {
            if (State == WebRtcConnectionState.Closed || State >= state)
            {
                return;
            }

            State = state;
        }

        StateChanged?.Invoke(this, state);
    }
}

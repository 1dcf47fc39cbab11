using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MediaServer.Rtc.Clock;
using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Dtmf;
using MediaServer.Rtc.Jitter;
using MediaServer.Rtc.Rtp;
using MediaServer.Signaling.Calls;
using Microsoft.Extensions.Logging;

namespace MediaServer.SipBridge.Media;

/// <summary>
/// The RTP side of one SIP call as an <see cref="ICallMediaLeg"/>: 8 kHz G.711 in and out over one UDP socket.
/// Inbound packets go through a <see cref="JitterBuffer"/> and come out one 20 ms frame per media clock tick;
/// RFC 4733 events become <see cref="ICallMediaSink.OnDtmf"/>; agent audio is queued and sent one frame per tick
/// (paced by the clock, never in bursts). Symmetric RTP (RFC 4961): we send to where the peer's media really
/// comes from (latching), which gets through NATs that rewrite the SDP's address. Nothing is allocated per packet.
/// </summary>
public sealed class SipMediaLeg : ICallMediaLeg, IMediaClockedLeg, IMediaClockSubscriber, IAsyncDisposable
{
    private const int FrameSamples = 160;
    private const int SampleRate = 8000;
    private readonly Socket _socket;
    private readonly MediaClock _clock;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<CancellationToken, ValueTask> _hangUp;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly long _epoch;
    private readonly short[] _frame = new short[FrameSamples];
    private readonly byte[] _sendBuffer = new byte[12 + FrameSamples + 16];
    private readonly int _maxQueued;
    private short[] _outQueue = new short[2 * SampleRate];
    private readonly TelephoneEventReceiver _dtmf = new();
    private readonly TelephoneEventSender _dtmfSender = new();
    private readonly uint _ssrc;
    private IAudioEncoder? _encoder;
    private JitterBuffer? _jitter;
    private SocketAddress? _remote;
    private SocketAddress? _latched;
    private IPEndPoint? _remoteEndPoint;
    private ICallMediaSink? _sink;
    private IDisposable? _clockSubscription;
    private Task? _receiveLoop;
    private int _outHead;
    private int _outCount;
    private ushort _sequence;
    private uint _timestamp;
    private bool _firstPacket = true;
    private bool _receivedAny;
    private int _payloadType;
    private int? _telephoneEventType;
    private bool _sendEnabled = true;
    private bool _receiveEnabled = true;
    private bool _mediaAllowed;
    private TimeSpan _lastAudioArrival;
    private long _lastLatchedArrival;
    private WavCallRecorder? _recorder;
    private readonly short[] _agentFrame = new short[FrameSamples];

    /// <summary>Binds the RTP socket on <paramref name="bindAddress"/> (an OS-chosen port, so many calls never collide).</summary>
    public SipMediaLeg(IPAddress bindAddress, MediaClock clock, TimeProvider time, ILogger logger, Func<CancellationToken, ValueTask> hangUp, TimeSpan maxQueuedOutput, RtpPortRange? ports = null)
    {
        _clock = clock;
        _time = time;
        _logger = logger;
        _hangUp = hangUp;
        _epoch = time.GetTimestamp();
        _maxQueued = Math.Max(FrameSamples, (int)(maxQueuedOutput.TotalSeconds * SampleRate));
        _socket = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        (ports ?? RtpPortRange.Any).Bind(_socket, bindAddress);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _ssrc = BinaryPrimitives.ReadUInt32LittleEndian(RandomNumberGenerator.GetBytes(4));
        _sequence = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue);
        _timestamp = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    }

    public string Transport => "sip";

    public string Codec { get; private set; } = "pcmu";

    public int InputSampleRate => SampleRate;

    public int OutputSampleRate => SampleRate;

    /// <summary>Our RTP address (advertised in SDP).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Where RTP goes now (SDP address until latched to the real source).</summary>
    public IPEndPoint? RemoteEndPoint
    {
        get
        {
            lock (_gate)
            {
                return _remoteEndPoint;
            }
        }
    }

    /// <summary>Counters for tests and the calls view.</summary>
    public SipMediaCounters Counters { get; } = new();

    /// <summary>Jitter buffer statistics (default before the first configuration).</summary>
    public JitterBufferStatistics JitterStatistics
    {
        get
        {
            lock (_gate)
            {
                return _jitter?.Statistics ?? default;
            }
        }
    }

    /// <summary>Whether we send audio (false while the peer holds us with sendonly/inactive).</summary>
    public bool SendEnabled
    {
        get
        {
            lock (_gate)
            {
                return _sendEnabled;
            }
        }
    }

    /// <summary>The shared clock this leg's frames go out on.</summary>
    public MediaClock Clock => _clock;

    public TimeSpan QueuedOutput
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromSeconds(_outCount / (double)SampleRate);
            }
        }
    }

    /// <summary>Applies an offer/answer result: codec, payload types, remote address and direction.</summary>
    public void Configure(SipAudioNegotiation negotiation)
    {
        lock (_gate)
        {
            if (_encoder is null || Codec != negotiation.Codec || _payloadType != negotiation.PayloadType)
            {
                var law = negotiation.Codec == "pcma" ? G711Law.ALaw : G711Law.MuLaw;
                _encoder?.Dispose();
                _encoder = new G711Encoder(law);
                _jitter = new JitterBuffer(new G711Decoder(law), SampleRate, new JitterBufferOptions { PayloadType = negotiation.PayloadType });
                Codec = negotiation.Codec;
                _payloadType = negotiation.PayloadType;
            }

            _telephoneEventType = negotiation.TelephoneEventPayloadType;
            if (negotiation.Remote is { } remote && _latched is null)
            {
                _remoteEndPoint = remote;
                _remote = remote.Serialize();
            }

            var ours = negotiation.AnswerDirection;
            _sendEnabled = SipMediaDirections.CanSend(ours) && negotiation.Remote is not null;
            _receiveEnabled = SipMediaDirections.CanReceive(ours);
        }
    }

    /// <summary>Records both directions to a stereo WAV from now on (caller left, agent right).</summary>
    public void StartRecording(string path)
    {
        lock (_gate)
        {
            _recorder ??= new WavCallRecorder(path);
        }
    }

    /// <summary>The recording file, or null.</summary>
    public string? RecordingPath
    {
        get
        {
            lock (_gate)
            {
                return _recorder?.Path;
            }
        }
    }

    /// <summary>
    /// Sends digits as RFC 4733 events (IVR navigation on outbound calls): one event packet per tick in place of
    /// audio, agent audio resuming after. False when the peer did not negotiate telephone-event.
    /// </summary>
    public bool SendDtmf(string digits, TimeSpan? duration = null)
    {
        lock (_gate)
        {
            if (_telephoneEventType is null)
            {
                return false;
            }

            foreach (char d in digits)
            {
                if (TelephoneEvent.TryGetCode(d, out _))
                {
                    _dtmfSender.Enqueue(d, duration ?? TimeSpan.FromMilliseconds(160));
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Lets RTP flow out: on answer (200 OK) or, with early media, on 183 (RFC 3261 §13.3.1.1). Until then the leg
    /// only receives, so a caller never gets our packets for a call that was not picked up.
    /// </summary>
    public void AllowSending()
    {
        lock (_gate)
        {
            _mediaAllowed = true;
        }
    }

    /// <summary>Starts receiving right away (before the sink is attached, packets are counted and buffered).</summary>
    public void Open()
    {
        _receiveLoop ??= Task.Run(ReceiveLoopAsync);
        _clockSubscription ??= _clock.Subscribe(this);
    }

    public void Start(ICallMediaSink sink)
    {
        lock (_gate)
        {
            _sink = sink;
        }

        Open();
    }

    public void EnqueueOutput(ReadOnlySpan<short> pcm)
    {
        lock (_gate)
        {
            if (_outCount + pcm.Length > _outQueue.Length && _outQueue.Length < _maxQueued)
            {
                // Grow (rarely: per long utterance, never per frame) up to the configured limit.
                int capacity = Math.Min(_maxQueued, Math.Max(_outQueue.Length * 2, _outCount + pcm.Length));
                var grown = new short[capacity];
                for (int i = 0; i < _outCount; i++)
                {
                    grown[i] = _outQueue[(_outHead + i) % _outQueue.Length];
                }

                _outQueue = grown;
                _outHead = 0;
            }

            int room = _outQueue.Length - _outCount;
            if (pcm.Length > room)
            {
                Counters.OnOutputOverflow(pcm.Length - room);
                pcm = pcm[..room];
            }

            int tail = (_outHead + _outCount) % _outQueue.Length;
            int first = Math.Min(pcm.Length, _outQueue.Length - tail);
            pcm[..first].CopyTo(_outQueue.AsSpan(tail));
            pcm[first..].CopyTo(_outQueue);
            _outCount += pcm.Length;
        }
    }

    public TimeSpan ClearOutput()
    {
        lock (_gate)
        {
            int dropped = _outCount;
            _outCount = 0;
            _outHead = 0;
            return TimeSpan.FromSeconds(dropped / (double)SampleRate);
        }
    }

    public ValueTask HangUpAsync(CancellationToken cancellationToken) => _hangUp(cancellationToken);

    /// <summary>One 20 ms step: pull a frame from the jitter buffer for the sink, send one frame of agent audio.</summary>
    public void OnTick(in MediaClockTick tick)
    {
        ICallMediaSink? sink;
        bool pulled = false;
        lock (_gate)
        {
            sink = _sink;
            if (_jitter is not null && _receivedAny && _receiveEnabled)
            {
                _jitter.Pull(_frame, _time.GetElapsedTime(_epoch));
                pulled = true;
            }
            else
            {
                Array.Clear(_frame);
            }
        }

        if (pulled && sink is not null)
        {
            Counters.OnFrameDelivered();
            sink.OnInputFrame(_frame);
        }

        SendFrame();
        lock (_gate)
        {
            _recorder?.WriteFrame(_frame, _agentFrame);
        }
    }

    private void SendFrame()
    {
        lock (_gate)
        {
            if (_encoder is null || !_mediaAllowed)
            {
                Array.Clear(_agentFrame);
                return;
            }

            if (_sendEnabled && (_latched ?? _remote) is { } dtmfTarget && _telephoneEventType is int te
                && _dtmfSender.TryGetPacket(_timestamp, out var ev))
            {
                // RFC 4733 §2.5.1: events replace audio while they last, on the audio stream's clock and SSRC.
                Array.Clear(_agentFrame);
                var teHeader = new RtpHeader { PayloadType = (byte)te, SequenceNumber = _sequence++, Timestamp = ev.Timestamp, Ssrc = _ssrc, Marker = ev.Marker };
                int teLength = RtpPacket.WriteHeader(teHeader, _sendBuffer);
                teLength += ev.Event.Write(_sendBuffer.AsSpan(teLength));
                _timestamp += FrameSamples;
                try
                {
                    _socket.SendTo(_sendBuffer.AsSpan(0, teLength), SocketFlags.None, dtmfTarget);
                    Counters.OnPacketSent(teLength);
                }
                catch (SocketException)
                {
                    Counters.OnSendError();
                }

                return;
            }

            Span<short> pcm = _agentFrame;
            int take = Math.Min(_outCount, FrameSamples);
            for (int i = 0; i < take; i++)
            {
                pcm[i] = _outQueue[(_outHead + i) % _outQueue.Length];
            }

            pcm[take..].Clear();
            _outHead = (_outHead + take) % _outQueue.Length;
            _outCount -= take;
            if (take > 0)
            {
                Counters.OnAgentFrame();
            }

            var target = _latched ?? _remote;
            if (!_sendEnabled || target is null)
            {
                _timestamp += FrameSamples;
                return;
            }

            var header = new RtpHeader { PayloadType = (byte)_payloadType, SequenceNumber = _sequence++, Timestamp = _timestamp, Ssrc = _ssrc, Marker = _firstPacket };
            _firstPacket = false;
            _timestamp += FrameSamples;
            int headerLength = RtpPacket.WriteHeader(header, _sendBuffer);
            int payloadLength = _encoder.Encode(pcm, _sendBuffer.AsSpan(headerLength));
            try
            {
                _socket.SendTo(_sendBuffer.AsSpan(0, headerLength + payloadLength), SocketFlags.None, target);
                Counters.OnPacketSent(headerLength + payloadLength);
            }
            catch (SocketException)
            {
                Counters.OnSendError();
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[2048];
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                continue;
            }

            OnPacket(buffer.AsSpan(0, n), from);
        }
    }

    private void OnPacket(ReadOnlySpan<byte> data, SocketAddress from)
    {
        if (!RtpPacket.TryRead(data, out var packet))
        {
            Counters.OnMalformed();
            return;
        }

        if (packet.Ssrc == _ssrc)
        {
            // Our own stream came back (RFC 3550 §8.2 loop): never play it; count it, and whether it carried audio.
            Counters.OnLooped(packet.PayloadType == _payloadType && !IsSilent(packet.Payload));
            return;
        }

        char digit = '\0';
        ICallMediaSink? sink;
        lock (_gate)
        {
            sink = _sink;
            Latch(from);
            Counters.OnPacketReceived(data.Length);
            if (_telephoneEventType is int te && packet.PayloadType == te)
            {
                var outcome = _dtmf.Process(packet.Payload, packet.Timestamp, packet.Marker, out var ev);
                if (outcome is TelephoneEventOutcome.Ended or TelephoneEventOutcome.BeganAndEnded)
                {
                    digit = TelephoneEvent.ToDigit(ev.Event);
                    Counters.OnDtmf();
                }
            }
            else if (_jitter is not null && packet.PayloadType == _payloadType)
            {
                var arrival = _time.GetElapsedTime(_epoch);
                if (_receivedAny && arrival - _lastAudioArrival > TimeSpan.FromMilliseconds(60))
                {
                    Counters.OnArrivalGap(); // the peer (or the network) paused: not a fault of our pacing
                }

                _lastAudioArrival = arrival;
                _jitter.Push(packet, arrival);
                _receivedAny = true;
            }
            else
            {
                Counters.OnMalformed();
            }
        }

        if (digit != '\0' && digit != '?')
        {
            sink?.OnDtmf(digit);
        }
    }

    private bool IsSilent(ReadOnlySpan<byte> payload)
    {
        // G.711 codes for the quietest levels: µ-law 0xFF/0x7F and neighbours, A-law 0xD5/0x55 and neighbours.
        int loud = 0;
        foreach (byte b in payload)
        {
            int magnitude = Codec == "pcma" ? (b ^ 0x55) & 0x7F : 0x7F - (b & 0x7F);
            if (magnitude > 0x10)
            {
                loud++;
            }
        }

        return loud * 4 < payload.Length;
    }

    /// <summary>
    /// Symmetric RTP latching: the first packet's source becomes the destination; a new source takes over only
    /// after the latched one has been silent for 500 ms (a re-routed peer), so a stray packet cannot hijack the call.
    /// </summary>
    private void Latch(SocketAddress from)
    {
        long now = _time.GetTimestamp();
        if (_latched is not null && _latched.Equals(from))
        {
            _lastLatchedArrival = now;
            return;
        }

        if (_latched is null || _time.GetElapsedTime(_lastLatchedArrival, now) > TimeSpan.FromMilliseconds(500))
        {
            _latched = new SocketAddress(from.Family, from.Size);
            from.Buffer.Span.CopyTo(_latched.Buffer.Span);
            _remoteEndPoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(_latched);
            _lastLatchedArrival = now;
            Counters.OnLatched();
            SipMediaLog.Latched(_logger, _remoteEndPoint.ToString());
        }
    }

    /// <summary>A digit from SIP INFO: reported like an RFC 4733 one.</summary>
    internal void RaiseDtmf(char digit)
    {
        ICallMediaSink? sink;
        lock (_gate)
        {
            sink = _sink;
        }

        Counters.OnDtmf();
        sink?.OnDtmf(digit);
    }

    /// <summary>Tells the sink, once, that the call ended.</summary>
    internal void RaiseEnded(string reason)
    {
        ICallMediaSink? sink;
        lock (_gate)
        {
            sink = _sink;
            _sink = null;
        }

        sink?.OnEnded(reason);
    }

    /// <summary>Stops media (idempotent): unsubscribes from the clock, closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _clockSubscription?.Dispose();
        _socket.Dispose();
        if (_receiveLoop is not null)
        {
            await _receiveLoop.ConfigureAwait(false);
        }

        WavCallRecorder? recorder;
        lock (_gate)
        {
            _encoder?.Dispose();
            _sink = null;
            recorder = _recorder;
            _recorder = null;
        }

        if (recorder is not null)
        {
            await recorder.DisposeAsync().ConfigureAwait(false);
        }
    }
}

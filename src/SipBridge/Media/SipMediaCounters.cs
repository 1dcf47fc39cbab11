namespace MediaServer.SipBridge.Media;

/// <summary>Per-call RTP counters (interlocked; read from any thread).</summary>
public sealed class SipMediaCounters
{
    private long _packetsReceived;
    private long _bytesReceived;
    private long _packetsSent;
    private long _bytesSent;
    private long _framesDelivered;
    private long _agentFrames;
    private long _dtmf;
    private long _malformed;
    private long _latches;
    private long _sendErrors;
    private long _outputOverflow;
    private long _arrivalGaps;
    private long _looped;
    private long _loopedAudio;

    /// <summary>Audio packets that came more than 60 ms after the previous one (sender or network stalls).</summary>
    public long ArrivalGaps => Interlocked.Read(ref _arrivalGaps);

    internal void OnArrivalGap() => Interlocked.Increment(ref _arrivalGaps);

    /// <summary>Packets carrying our own SSRC (a peer echoing our stream back).</summary>
    public long LoopedPackets => Interlocked.Read(ref _looped);

    /// <summary>Looped packets that carried audio above silence (proof our agent audio reached an echoing peer).</summary>
    public long LoopedAudioPackets => Interlocked.Read(ref _loopedAudio);

    internal void OnLooped(bool audible)
    {
        Interlocked.Increment(ref _looped);
        if (audible)
        {
            Interlocked.Increment(ref _loopedAudio);
        }
    }

    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>RTP bytes sent (headers included).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>20 ms frames given to the sink.</summary>
    public long FramesDelivered => Interlocked.Read(ref _framesDelivered);

    /// <summary>Frames sent that carried queued agent audio (not silence).</summary>
    public long AgentFramesSent => Interlocked.Read(ref _agentFrames);

    public long DtmfEvents => Interlocked.Read(ref _dtmf);

    /// <summary>Packets that were not RTP or had an unexpected payload type.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    public long Latches => Interlocked.Read(ref _latches);

    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Agent samples dropped because the output queue was full.</summary>
    public long OutputOverflowSamples => Interlocked.Read(ref _outputOverflow);

    internal void OnPacketReceived(int bytes)
    {
        Interlocked.Increment(ref _packetsReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    internal void OnPacketSent(int bytes)
    {
        Interlocked.Increment(ref _packetsSent);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    internal void OnFrameDelivered() => Interlocked.Increment(ref _framesDelivered);

    internal void OnAgentFrame() => Interlocked.Increment(ref _agentFrames);

    internal void OnDtmf() => Interlocked.Increment(ref _dtmf);

    internal void OnMalformed() => Interlocked.Increment(ref _malformed);

    internal void OnLatched() => Interlocked.Increment(ref _latches);

    internal void OnSendError() => Interlocked.Increment(ref _sendErrors);

    internal void OnOutputOverflow(int samples) => Interlocked.Add(ref _outputOverflow, samples);
}

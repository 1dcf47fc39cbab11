namespace MediaServer.Signaling.Calls;

/// <summary>
/// The media side of a call (WebRTC peer connection or SIP dialog) as the realtime session sees it: decoded,
/// jitter-buffered 16-bit mono PCM frames in, PCM out. The transport owns codecs, RTP, pacing on the media clock
/// and the playout position; the session owns turn-taking and the conversation.
/// </summary>
public interface ICallMediaLeg
{
    /// <summary>Transport name for logs and the calls view: <c>webrtc</c> or <c>sip</c>.</summary>
    string Transport { get; }

    /// <summary>Codec name negotiated on the wire (<c>opus</c>, <c>pcmu</c>, <c>pcma</c>).</summary>
    string Codec { get; }

    /// <summary>Sample rate of the frames given to <see cref="ICallMediaSink.OnInputFrame"/> (8000 or 48000).</summary>
    int InputSampleRate { get; }

    /// <summary>Sample rate <see cref="EnqueueOutput"/> expects (8000 or 48000).</summary>
    int OutputSampleRate { get; }

    /// <summary>
    /// Starts delivering media to <paramref name="sink"/>: one call per 20 ms inbound frame, on the transport's
    /// receive path (the sink must not block). Called once.
    /// </summary>
    void Start(ICallMediaSink sink);

    /// <summary>
    /// Queues agent audio at <see cref="OutputSampleRate"/>, any length. The transport sends it in 20 ms frames paced
    /// by the media clock (never in bursts), and silence or nothing when the queue is empty.
    /// </summary>
    void EnqueueOutput(ReadOnlySpan<short> pcm);

    /// <summary>Audio queued and not yet sent.</summary>
    TimeSpan QueuedOutput { get; }

    /// <summary>Barge-in: drops every queued output sample at once; returns how much of it was dropped.</summary>
    TimeSpan ClearOutput();

    /// <summary>Ends the call from our side (BYE for SIP, closes the peer connection for WebRTC).</summary>
    ValueTask HangUpAsync(CancellationToken cancellationToken);
}

/// <summary>Receives a call's inbound media and events. Implemented by the realtime session.</summary>
public interface ICallMediaSink
{
    /// <summary>One 20 ms frame of decoded PCM at the leg's input rate.</summary>
    void OnInputFrame(ReadOnlySpan<short> pcm);

    /// <summary>A DTMF digit (RFC 4733 event end, or SIP INFO): <c>0-9 * # A-D</c>.</summary>
    void OnDtmf(char digit);

    /// <summary>A text message on the call's event channel (the WebRTC <c>oai-events</c> data channel).</summary>
    void OnEventMessage(string json);

    /// <summary>The call ended (remote hangup, consent lost, error). Called once.</summary>
    void OnEnded(string reason);
}

/// <summary>A leg that also carries the realtime JSON events (WebRTC's <c>oai-events</c> data channel).</summary>
public interface ICallEventChannel
{
    /// <summary>Sends one JSON event to the client. Returns false when the channel is not open.</summary>
    bool TrySendEvent(string json);
}

using System.Collections.Concurrent;
using MediaServer.Rtc.WebRtc;
using MediaServer.Signaling.Calls;

namespace MediaServer.Signaling.WebRtc;

/// <summary>
/// A browser's peer connection as a realtime call: Opus audio both ways at 48 kHz (decoded and paced by the peer
/// connection), Realtime JSON events on the <c>oai-events</c> data channel. Events emitted before the channel opens
/// (such as <c>session.created</c>) are held and delivered in order when it opens.
/// </summary>
public sealed class WebRtcCallLeg : ICallMediaLeg, ICallEventChannel, ICallControl, ICallMediaStatsSource, IMediaClockedLeg
{
    public const string EventChannelLabel = "oai-events";

    private readonly WebRtcPeerConnection _connection;
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _pending = new();
    private readonly object _channelGate = new();
    private bool _channelOpen;
    private ICallMediaSink? _sink;

    public WebRtcCallLeg(WebRtcPeerConnection connection)
    {
        _connection = connection;
        _connection.StateChanged += OnStateChanged;
        _connection.DataChannelOpened += channel =>
        {
            if (channel.Label != EventChannelLabel)
            {
                return;
            }

            lock (_channelGate)
            {
                _channelOpen = true;
                while (_pending.TryDequeue(out var json))
                {
                    _connection.SendText(EventChannelLabel, json);
                }
            }
        };
    }

    public string CallId => _connection.Id;

    public string Transport => "webrtc";

    public string Codec => "opus";

    public int InputSampleRate => 48_000;

    public int OutputSampleRate => 48_000;

    public WebRtcPeerConnection Connection => _connection;

    public ICallMediaLeg Media => this;

    public IReadOnlyList<KeyValuePair<string, string>> SipHeaders => [];

    public Task<string> Completion => _ended.Task;

    public TimeSpan QueuedOutput => _connection.QueuedAudio;

    public MediaServer.Rtc.Clock.MediaClock Clock =>
        _connection.Clock ?? throw new InvalidOperationException("The connection is not attached to a media clock.");

    public void Start(ICallMediaSink sink)
    {
        _sink = sink;
        _connection.AudioFrameReceived += pcm => sink.OnInputFrame(pcm);
        _connection.DtmfReceived += sink.OnDtmf;
        _connection.TextReceived += (label, text) =>
        {
            if (label == EventChannelLabel)
            {
                sink.OnEventMessage(text);
            }
        };
        if (_ended.Task.IsCompleted)
        {
            sink.OnEnded(_ended.Task.Result);
        }
    }

    public void EnqueueOutput(ReadOnlySpan<short> pcm) => _connection.EnqueueAudio(pcm);

    public TimeSpan ClearOutput() => _connection.ClearAudio();

    public ValueTask HangUpAsync(CancellationToken cancellationToken) => _connection.CloseAsync("hangup");

    public CallMediaStats GetStats()
    {
        var s = _connection.GetStats();
        return new CallMediaStats(s.PacketsReceived, s.PacketsSent, s.PacketsLost, s.JitterMs, s.BytesReceived, s.BytesSent);
    }

    public bool TrySendEvent(string json)
    {
        lock (_channelGate)
        {
            if (_channelOpen)
            {
                return _connection.SendText(EventChannelLabel, json);
            }

            _pending.Enqueue(json);
            return true;
        }
    }

    public Task AcceptAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Reject(int statusCode) => _ = _connection.CloseAsync($"rejected {statusCode}");

    public Task<int> ReferAsync(string targetUri, CancellationToken cancellationToken) =>
        throw new NotSupportedException("WebRTC calls cannot be transferred with REFER.");

    private void OnStateChanged(WebRtcPeerConnection connection, WebRtcConnectionState state)
    {
        if (state == WebRtcConnectionState.Closed && _ended.TrySetResult(connection.CloseReason ?? "closed"))
        {
            _sink?.OnEnded(connection.CloseReason ?? "closed");
        }
    }
}

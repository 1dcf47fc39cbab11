using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Pipeline.Audio;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>
/// A session whose whole engine is an upstream Realtime service. Client events are forwarded (the session keeps
/// <c>session.update</c> to validate it and mirrors the effective session upstream); the caller's audio goes up as
/// 24 kHz appends; upstream server events come back to the client as they are, except the upstream's own
/// <c>session.created/updated</c> (ours were sent) and, on a call, its audio deltas, which are played on the call's
/// media leg instead (with <c>output_audio_buffer.started/stopped/cleared</c>, as a WebRTC or SIP session reports).
/// Barge-in truncates the upstream's item to what the caller heard. Everything runs under the session's lock.
/// </summary>
internal sealed partial class UpstreamBridge : IUpstreamListener, IUpstreamTurnEvents, IDisposable
{
    private readonly RealtimeSession _session;
    private readonly UpstreamTarget _target;
    private readonly ICallMediaLeg? _leg;
    private readonly ILogger _logger;
    private readonly UpstreamConnection _connection;
    private readonly UpstreamInput _input;
    private readonly UpstreamPlayback _playback = new();
    private readonly UpstreamAudio _output = new();
    private string? _localItemId;
    private bool _failed;

    public UpstreamBridge(RealtimeSession session, UpstreamTarget target, ICallMediaLeg? leg, ILogger logger)
    {
        _session = session;
        _target = target;
        _leg = leg;
        _logger = logger;
        _connection = new UpstreamConnection(target, this, logger);
        var writer = new UpstreamAppendWriter(_connection, target.Provider.AppendMilliseconds);
        _input = new UpstreamInput(writer, target.Provider.LocalTurns, session.Engines.CreateVad, this, session.Config.TurnDetection);
    }

    public UpstreamTarget Target => _target;

    /// <summary>Mirrors the initial session upstream and connects. Called under the session's lock.</summary>
    public void Start()
    {
        MirrorSession();
        _connection.Start(_session.Config.Id);
    }

    /// <summary>The session's effective config changed (a valid <c>session.update</c>): the upstream gets it whole.</summary>
    public void MirrorSession()
    {
        _connection.Send(UpstreamSessionMirror.Build(_session.Config, _target, Transport.RealtimeSessionFactory.DefaultPromptAdditions));
        _input.Configure(_session.Config.TurnDetection);
    }

    /// <summary>A call leg's 20 ms frame.</summary>
    public void AppendCallAudio(ReadOnlySpan<short> pcm, int sampleRate) => _input.AppendPcm(pcm, sampleRate);

    /// <summary>A client event other than <c>session.update</c>: handled here or forwarded as it is.</summary>
    public RealtimeError? Forward(string type, JsonElement root)
    {
        if (_failed)
        {
            return Unavailable();
        }

        switch (type)
        {
            case "input_audio_buffer.append":
                return Append(root);
            case "input_audio_buffer.commit":
                _input.OnClientCommit();
                break;
            case "input_audio_buffer.clear":
                _input.OnClientClear();
                break;
            case "output_audio_buffer.clear" when _leg is not null:
                CutPlayback();
                _session.Emit(ServerEventJson.Build("output_audio_buffer.cleared", w => w.WriteString("response_id", _playback.AudioResponseId)));
                return null;
        }

        _connection.Send(Encoding.UTF8.GetBytes(root.GetRawText()));
        return null;
    }

    private RealtimeError? Append(JsonElement root)
    {
        if (!root.TryGetProperty("audio", out var audio) || audio.ValueKind != JsonValueKind.String)
        {
            return RealtimeError.Invalid("missing_required_parameter", "Missing required parameter: 'audio'.", "audio");
        }

        if (!audio.TryGetBytesFromBase64(out var bytes))
        {
            return RealtimeError.Invalid("invalid_value", "audio is not valid base64.", "audio");
        }

        _input.AppendWire(bytes, _session.Config.InputFormat);
        return null;
    }

    private RealtimeError Unavailable() => new(RealtimeError.ServerError, "upstream_unavailable",
        $"The speech-to-speech upstream '{_target.Name}' is not connected; this session cannot answer.");

    void IUpstreamListener.OnUpstreamEvent(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException)
        {
            LogBadEvent(_logger, _target.Name);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            string? type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()
                : null;
            if (type is null)
            {
                LogBadEvent(_logger, _target.Name);
                return;
            }

            lock (_session.Gate)
            {
                if (!_session.IsClosed)
                {
                    Relay(type, root, utf8Json);
                }
            }
        }
    }

    private void Relay(string type, JsonElement root, ReadOnlySpan<byte> raw)
    {
        switch (type)
        {
            case "session.created" or "session.updated":
                // Ours went out already and say the same: the upstream's would announce its own ids and formats.
                return;
            case "response.created":
                _playback.OnResponseCreated(Text(root, "response", "id"));
                break;
            case "response.output_audio.delta" or "response.audio.delta":
                if (OnAudioDelta(root))
                {
                    return;
                }

                break;
            case "response.done":
                OnResponseDone(root);
                break;
            case "input_audio_buffer.speech_started" when _leg is not null:
                // The upstream's VAD heard the caller (it cancels its response itself): stop what still plays here.
                _session.Emit(raw.ToArray());
                CutPlayback();
                return;
        }

        _session.Emit(raw.ToArray());
    }

    /// <summary>Plays or converts one audio delta; returns true when the event was consumed.</summary>
    private bool OnAudioDelta(JsonElement root)
    {
        if (!root.TryGetProperty("delta", out var delta) || !delta.TryGetBytesFromBase64(out var bytes))
        {
            return false;
        }

        var pcm = _output.Decode(bytes, RealtimeAudioFormat.Pcm24k);
        bool first = _playback.OnAudio(Text(root, "response_id"), Text(root, "item_id"), pcm.Length);
        if (_leg is not null)
        {
            _leg.EnqueueOutput(_output.Convert(pcm, UpstreamAudio.Rate, _leg.OutputSampleRate));
            if (first)
            {
                _session.Emit(ServerEventJson.Build("output_audio_buffer.started", w => w.WriteString("response_id", _playback.AudioResponseId)));
            }

            return true;
        }

        var format = _session.Config.OutputFormat;
        if (format.Encoding == AudioEncoding.Pcm16)
        {
            return false;
        }

        // The client asked for G.711: the upstream speaks 24 kHz PCM, converted here.
        var node = JsonNode.Parse(root.GetRawText())!.AsObject();
        var converted = _output.Convert(pcm, UpstreamAudio.Rate, format.SampleRate);
        node["delta"] = Convert.ToBase64String(UpstreamAudio.Encode(converted, format));
        _session.Emit(UpstreamJson.Serialize(node));
        return true;
    }

    private void OnResponseDone(JsonElement root)
    {
        _playback.OnResponseDone();
        if (_playback.CreatePending)
        {
            _playback.CreatePending = false;
            _connection.Send(UpstreamJson.Event("response.create"));
        }

        string? id = Text(root, "response", "id");
        if (_leg is not null && id is not null && id == _playback.AudioResponseId && Text(root, "response", "status") == "completed")
        {
            _ = EmitStoppedWhenPlayedAsync(id);
        }
    }

    private async Task EmitStoppedWhenPlayedAsync(string responseId)
    {
        await PlayoutDrain.WaitAsync(_leg!, () => _session.IsClosed).ConfigureAwait(false); // on the media clock, not a timer per call

        lock (_session.Gate)
        {
            if (_playback.AudioResponseId == responseId && _playback.ActiveResponseId is null)
            {
                _session.Emit(ServerEventJson.Build("output_audio_buffer.stopped", w => w.WriteString("response_id", responseId)));
            }
        }
    }

    /// <summary>Barge-in on a call: drop the queued speech and tell the upstream how much of its item was heard.</summary>
    private void CutPlayback()
    {
        if (_leg is null || _leg.QueuedOutput <= TimeSpan.Zero)
        {
            return;
        }

        var dropped = _leg.ClearOutput();
        if (_playback.AudioItemId is { } item)
        {
            long played = _playback.PlayedMs(dropped);
            _connection.Send(UpstreamJson.Truncate(item, played));
            LogTruncated(_logger, item, played);
        }

        _session.Emit(ServerEventJson.Build("output_audio_buffer.cleared", w => w.WriteString("response_id", _playback.AudioResponseId)));
    }

    void IUpstreamTurnEvents.OnSpeechStarted(long audioStartMs)
    {
        _localItemId = RealtimeIds.Item();
        _session.Emit(ServerEventJson.Build("input_audio_buffer.speech_started", w =>
        {
            w.WriteNumber("audio_start_ms", audioStartMs);
            w.WriteString("item_id", _localItemId);
        }));
        if (_session.Config.TurnDetection?.InterruptResponse != true)
        {
            return;
        }

        if (_playback.ActiveResponseId is not null && !_playback.CancelSent)
        {
            _playback.CancelSent = true;
            _connection.Send(UpstreamJson.Event("response.cancel"));
        }

        CutPlayback();
    }

    void IUpstreamTurnEvents.OnSpeechStopped(long audioEndMs)
    {
        _session.Emit(ServerEventJson.Build("input_audio_buffer.speech_stopped", w =>
        {
            w.WriteNumber("audio_end_ms", audioEndMs);
            w.WriteString("item_id", _localItemId);
        }));
        if (_failed)
        {
            _session.Emit(ServerEventJson.Error(Unavailable()));
            return;
        }

        _connection.Send(UpstreamJson.Event("input_audio_buffer.commit"));
        if (_session.Config.TurnDetection?.CreateResponse != true)
        {
            return;
        }

        if (_playback.ActiveResponseId is null)
        {
            _connection.Send(UpstreamJson.Event("response.create"));
        }
        else
        {
            // A barged-in response is still closing upstream: the new turn's response follows its response.done.
            _playback.CreatePending = true;
        }
    }

    void IUpstreamListener.OnUpstreamFailed(UpstreamFailure failure)
    {
        lock (_session.Gate)
        {
            _failed = true;
            _session.Emit(ServerEventJson.Error(new RealtimeError(RealtimeError.ServerError, failure.Code, failure.Message)));
            if (_playback.ActiveResponseId is { } id)
            {
                // The client would wait for this response forever: it ends here, failed, with the reason.
                _playback.OnResponseDone();
                _session.Emit(ServerEventJson.Build("response.done", w =>
                {
                    w.WriteStartObject("response");
                    w.WriteString("object", "realtime.response");
                    w.WriteString("id", id);
                    w.WriteString("status", "failed");
                    w.WriteStartObject("status_details");
                    w.WriteString("type", "failed");
                    w.WriteStartObject("error");
                    w.WriteString("type", RealtimeError.ServerError);
                    w.WriteString("code", failure.Code);
                    w.WriteString("message", failure.Message);
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteStartArray("output");
                    w.WriteEndArray();
                    w.WriteEndObject();
                }));
            }
        }
    }

    private static string? Text(JsonElement root, string name, string? inner = null)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (inner is not null && (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(inner, out value)))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    public void Dispose()
    {
        _input.Dispose();
        // Closing the socket may wait for the network: never under the session's lock.
        _ = Task.Run(() => _connection.DisposeAsync().AsTask());
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Debug, Message = "Upstream {Provider} sent an event that is not a JSON object with a type; dropped")]
    private static partial void LogBadEvent(ILogger logger, string provider);

    [LoggerMessage(EventId = 711, Level = LogLevel.Debug, Message = "Barge-in: upstream item {ItemId} truncated at {PlayedMs} ms")]
    private static partial void LogTruncated(ILogger logger, string itemId, long playedMs);
}

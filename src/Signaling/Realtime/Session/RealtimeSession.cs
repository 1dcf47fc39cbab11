using System.Text.Json;
using MediaServer.Pipeline.Stt;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Conversation;
using MediaServer.Signaling.Realtime.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// One realtime session: the GA client events in, the server events out, the conversation, the input audio
/// buffer with turn detection, and the responses. The transport (WebSocket, WebRTC data channel, SIP call) feeds
/// it client events and audio and forwards what it emits. All state lives under <see cref="Gate"/>; emitting only
/// enqueues, so one session never blocks another.
/// </summary>
public sealed partial class RealtimeSession : IInputAudioEvents, IDisposable
{
    private const int MinimumCommitMs = 100;

    private readonly IRealtimeEventSink _sink;
    private readonly RealtimeSessionOptions _options;
    private readonly ICallMediaLeg? _leg;
    private readonly InputAudioPipeline _input;
    private readonly Dictionary<string, Task> _pendingTranscripts = [];
    private readonly List<ResponseRunner> _outOfBand = [];
    private readonly Dictionary<string, ResponseRunner> _speakers = [];
    private readonly Func<Limits.RateLimitState?>? _acquireRequest;
    private readonly HashSet<string> _unknownTags = new(StringComparer.OrdinalIgnoreCase);
    private ResponseRunner? _active;
    private long? _lastTurnEnd;
    private ResponseRunner? _lastSpoken;
    private bool _closed;

    public RealtimeSession(
        SessionConfig config,
        RealtimeEngines engines,
        IRealtimeEventSink sink,
        RealtimeSessionOptions options,
        ILogger logger,
        ICallMediaLeg? leg = null,
        Func<Limits.RateLimitState?>? acquireRequest = null)
    {
        _acquireRequest = acquireRequest;
        Config = config;
        Engines = engines;
        _sink = sink;
        _options = options;
        Logger = logger;
        _leg = leg;
        _input = new InputAudioPipeline(engines, this, options.MaxInputBufferSeconds);
        ConfigureTurns(config);
        _input.ConfigureNoiseReduction(NoiseReductionType(config));
        AttachUpstream(leg);
    }

    private static string? NoiseReductionType(SessionConfig config) => (string?)config.NoiseReduction?["type"];

    internal object Gate { get; } = new();

    internal RealtimeEngines Engines { get; }

    internal ILogger Logger { get; }

    internal ConversationLog Conversation { get; } = new();

    public SessionConfig Config { get; private set; }

    public string Id => Config.Id;

    // Affinity: the session gets back the decoder that has already adapted to its caller's channel.
    TranscriptionRequest IInputAudioEvents.TranscriptionRequest =>
        new(Config.Transcription?.Model, Config.Transcription?.Language, Config.Transcription?.Prompt) { Affinity = Config.Id };

    /// <summary>Sends <c>session.created</c>: the first event of every session.</summary>
    public void Start()
    {
        lock (Gate)
        {
            Emit(ServerEventJson.Build("session.created", w =>
            {
                w.WritePropertyName("session");
                Config.WriteTo(w);
            }));
            _upstream?.Start();
            EmitIfError(CheckModel(Config.Model));
            EnsureMcpServers(Config.Tools, sessionLevel: true);
        }
    }

    /// <summary>Sends <c>session.created</c> to one listener only (a monitoring socket joining a live call).</summary>
    public void DescribeTo(IRealtimeEventSink listener)
    {
        lock (Gate)
        {
            listener.Send(ServerEventJson.Build("session.created", w =>
            {
                w.WritePropertyName("session");
                Config.WriteTo(w);
            }));
        }
    }

    /// <summary>Handles one client event (a JSON text message). Bad input is answered with an <c>error</c> event.</summary>
    public void HandleClientEvent(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            // JsonDocument checks structure only: a bad byte inside a string would throw later, from GetString (found by fuzzing).
            ReportError(RealtimeError.Invalid("invalid_json", "The message is not valid UTF-8."));
            return;
        }

        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException ex)
        {
            ReportError(RealtimeError.Invalid("invalid_json", $"The message is not valid JSON: {ex.Message}"));
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                ReportError(RealtimeError.Invalid("invalid_json", "A client event must be a JSON object."));
                return;
            }

            string? eventId = root.TryGetProperty("event_id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                ? idElement.GetString()
                : null;
            if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                ReportError(RealtimeError.Invalid("missing_required_parameter", "The event has no 'type'.", "type") with { EventId = eventId });
                return;
            }

            string type = typeElement.GetString()!;
            RealtimeError? error;
            lock (Gate)
            {
                if (_closed)
                {
                    return;
                }

                error = _upstream is { } upstream ? UpstreamDispatch(upstream, type, root) : Dispatch(type, root);
                if (error is not null)
                {
                    LogClientError(Logger, type, error.Code);
                    Emit(ServerEventJson.Error(error with { EventId = eventId }));
                }
            }
        }
    }

    /// <summary>Emits a server event produced outside the session (a call's DTMF), in order with the rest.</summary>
    public void EmitServerEvent(byte[] utf8Json)
    {
        lock (Gate)
        {
            Emit(utf8Json);
        }
    }

    /// <summary>Reports a transport-level problem (message too large, binary frame) as an <c>error</c> event.</summary>
    public void ReportError(RealtimeError error)
    {
        lock (Gate)
        {
            LogClientError(Logger, "(transport)", error.Code);
            Emit(ServerEventJson.Error(error));
        }
    }

    private RealtimeError? Dispatch(string type, JsonElement root) => type switch
    {
        "session.update" => SessionUpdate(root),
        "input_audio_buffer.append" => InputAppend(root),
        "input_audio_buffer.commit" => InputCommit(),
        "input_audio_buffer.clear" => InputClear(),
        "output_audio_buffer.clear" => OutputClear(),
        "conversation.item.create" => ItemCreate(root),
        "conversation.item.retrieve" => ItemRetrieve(root),
        "conversation.item.truncate" => ItemTruncate(root),
        "conversation.item.delete" => ItemDelete(root),
        "response.create" => ResponseCreate(root),
        "response.cancel" => ResponseCancel(root),
        _ => RealtimeError.Invalid("invalid_value",
            $"Invalid value: '{type}'. Supported values are: 'session.update', 'input_audio_buffer.append', " +
            "'input_audio_buffer.commit', 'input_audio_buffer.clear', 'output_audio_buffer.clear', 'conversation.item.create', " +
            "'conversation.item.retrieve', 'conversation.item.truncate', 'conversation.item.delete', 'response.create', 'response.cancel'.",
            "type"),
    };

    private RealtimeError? SessionUpdate(JsonElement root)
    {
        if (!root.TryGetProperty("session", out var session))
        {
            return RealtimeError.Invalid("missing_required_parameter", "Missing required parameter: 'session'.", "session");
        }

        var updated = Config.Clone();
        var errors = SessionConfigReader.Apply(updated, session);
        if (errors.Count > 0)
        {
            return errors[0];
        }

        if (updated.Model != Config.Model && CheckModel(updated.Model) is { } unknownModel)
        {
            return unknownModel;
        }

        bool turnsChanged = TurnsChanged(Config, updated);
        Config = updated;
        if (turnsChanged)
        {
            ConfigureTurns(updated);
        }

        _input.ConfigureNoiseReduction(NoiseReductionType(updated));

        Emit(ServerEventJson.Build("session.updated", w =>
        {
            w.WritePropertyName("session");
            Config.WriteTo(w);
        }));
        EnsureMcpServers(Config.Tools, sessionLevel: true);
        return null;
    }

    private RealtimeError? InputAppend(JsonElement root)
    {
        if (!root.TryGetProperty("audio", out var audio) || audio.ValueKind != JsonValueKind.String)
        {
            return RealtimeError.Invalid("missing_required_parameter", "Missing required parameter: 'audio'.", "audio");
        }

        byte[] bytes;
        try
        {
            bytes = audio.GetBytesFromBase64();
        }
        catch (FormatException)
        {
            return RealtimeError.Invalid("invalid_value", "audio is not valid base64.", "audio");
        }

        if (Config.InputFormat.Encoding == AudioEncoding.Pcm16 && bytes.Length % 2 != 0)
        {
            return RealtimeError.Invalid("invalid_value", "audio/pcm must hold whole 16-bit samples (an even number of bytes).", "audio");
        }

        if (RefuseIfInputFull(bytes.Length / Config.InputFormat.BytesPerSample, Config.InputFormat.SampleRate) is { } full)
        {
            return full;
        }

        _input.AppendWire(bytes, Config.InputFormat);
        RecordWireAudioProcessed(bytes.Length);
        BackchannelTick();
        return null;
    }

    /// <summary>Audio from a call leg (WebRTC or SIP), one 20 ms frame at the leg's input rate.</summary>
    public void AppendCallAudio(ReadOnlySpan<short> pcm, int sampleRate)
    {
        lock (Gate)
        {
            if (_upstream is not null && !_closed)
            {
                _upstream.AppendCallAudio(pcm, sampleRate);
            }
            else if (!_closed && !RefuseCallAudioIfFull(pcm.Length, sampleRate))
            {
                _input.AppendPcm(pcm, sampleRate);
                BackchannelTick();
            }
        }
    }

    private RealtimeError? InputCommit()
    {
        if (!CommitInput(out _))
        {
            return RealtimeError.Invalid("input_audio_buffer_commit_empty",
                $"Error committing input audio buffer: buffer too small. Expected at least {MinimumCommitMs}ms of audio, but buffer only has {_input.BufferedMs}ms of audio.");
        }

        return null;
    }

    private bool CommitInput(out string? itemId, string? preferredItemId = null)
    {
        itemId = null;
        if (!_input.TryCommit(MinimumCommitMs, preferredItemId, out var audio16k, out var recognizer, out var analyzer, out string id))
        {
            return false;
        }

        itemId = id;
        var part = new ContentPart { Type = "input_audio", Transcript = null, Audio = InputAudioEncoder.Encode(audio16k, Config.InputFormat) };
        var item = new ConversationItem { Id = id, Type = "message", Role = "user", Content = [part] };
        string? previous = Conversation.LastItemId;
        Emit(ServerEventJson.Build("input_audio_buffer.committed", w =>
        {
            w.WriteString("previous_item_id", previous);
            w.WriteString("item_id", id);
        }));
        AddItem(item);
        EmitItemDone(item);
        // The recogniser has heard the turn as it was spoken: what it has so far goes out at once as the first
        // transcription delta, and the final pass only adds to it.
        string partial = Config.Transcription is null ? string.Empty : recognizer.Partial;
        if (partial.Length > 0)
        {
            EmitTranscriptionDelta(id, partial);
        }

        _pendingTranscripts[id] = Transcribe(item, part, recognizer, partial, analyzer);
        _lastTurnEnd = System.Diagnostics.Stopwatch.GetTimestamp();
        Telemetry.RealtimeTelemetry.Turns.Add(1, new KeyValuePair<string, object?>("transport", _leg?.Transport ?? "websocket"));
        return true;
    }

    private void EmitTranscriptionDelta(string itemId, string delta) =>
        Emit(ServerEventJson.Build("conversation.item.input_audio_transcription.delta", w =>
        {
            w.WriteString("item_id", itemId);
            w.WriteNumber("content_index", 0);
            w.WriteString("delta", delta);
        }));

    private async Task Transcribe(ConversationItem item, ContentPart part, ISpeechRecognitionStream recognizer, string sentPrefix,
        MediaServer.Pipeline.Profile.IVoiceProfileAnalyzer? analyzer)
    {
        string transcript;
        try
        {
            transcript = await Task.Run(() => recognizer.CompleteAsync(CancellationToken.None)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogTranscriptionFailed(Logger, ex, item.Id);
            lock (Gate)
            {
                part.Transcript = string.Empty;
                _pendingTranscripts.Remove(item.Id);
                if (Config.Transcription is not null)
                {
                    Emit(ServerEventJson.Build("conversation.item.input_audio_transcription.failed", w =>
                    {
                        w.WriteString("item_id", item.Id);
                        w.WriteNumber("content_index", 0);
                        w.WriteStartObject("error");
                        w.WriteString("type", "transcription_error");
                        w.WriteString("code", "stt_failed");
                        w.WriteString("message", ex.Message);
                        w.WriteNull("param");
                        w.WriteEndObject();
                    }));
                }
            }

            return;
        }
        finally
        {
            recognizer.Dispose();
        }

        // Outside the lock: configured ONNX classifiers run here, once per turn.
        MediaServer.Pipeline.Profile.VoiceProfile? profile = analyzer?.Complete(transcript);
        analyzer?.Dispose();
        lock (Gate)
        {
            if (profile is not null)
            {
                item.VoiceNote = profile.ToContextNote();
            }

            part.Transcript = transcript;
            _pendingTranscripts.Remove(item.Id);
            if (Config.Transcription is null)
            {
                return;
            }

            // Deltas are additive: only what extends the partial already sent. When the final pass revised the
            // partial, the completed event's transcript is authoritative.
            // Inworld sessions get rolling deltas instead: the whole transcript each time.
            if (Config.RollingTranscriptionDeltas)
            {
                if (transcript != sentPrefix)
                {
                    EmitTranscriptionDelta(item.Id, transcript);
                }
            }
            else if (transcript.Length > sentPrefix.Length && transcript.StartsWith(sentPrefix, StringComparison.Ordinal))
            {
                EmitTranscriptionDelta(item.Id, transcript[sentPrefix.Length..]);
            }

            double seconds = (part.Audio?.Length ?? 0) / (double)(Config.InputFormat.SampleRate * Config.InputFormat.BytesPerSample);
            Emit(ServerEventJson.Build("conversation.item.input_audio_transcription.completed", w =>
            {
                w.WriteString("item_id", item.Id);
                w.WriteNumber("content_index", 0);
                w.WriteString("transcript", transcript);
                w.WriteStartObject("usage");
                w.WriteString("type", "duration");
                // Whole seconds: the official .NET client reads this field as an integer and fails on a fraction.
                w.WriteNumber("seconds", (long)Math.Ceiling(seconds));
                w.WriteEndObject();
                if (profile is not null && VoiceProfileWanted)
                {
                    // Where Inworld's clients read it; OpenAI's SDKs keep unknown fields aside.
                    w.WriteStartObject("providerData");
                    w.WritePropertyName("voiceProfile");
                    profile.WriteTo(w);
                    w.WriteEndObject();
                }
            }));
        }
    }

    /// <summary>On unless the session turned it off with <c>providerData.stt.voice_profile: false</c>.</summary>
    private bool VoiceProfileWanted =>
        Config.ProviderData?["stt"]?["voice_profile"] is not System.Text.Json.Nodes.JsonValue v || !v.TryGetValue(out bool on) || on;

    private RealtimeError? InputClear()
    {
        _input.Clear();
        Emit(ServerEventJson.Build("input_audio_buffer.cleared"));
        return null;
    }

    private RealtimeError? OutputClear()
    {
        var last = _active ?? _lastSpoken;
        if (_leg is not null)
        {
            var dropped = _leg.ClearOutput();
            if (last?.Message is { } message && dropped > TimeSpan.Zero)
            {
                TruncatePlayed(last, message, (long)Math.Max(0, last.AudioMs - dropped.TotalMilliseconds));
            }
        }

        BargeIn.FlushOutgoing(_input.TimelineMs);
        Emit(ServerEventJson.Build("output_audio_buffer.cleared", w => w.WriteString("response_id", last?.Id)));
        return null;
    }

    private RealtimeError? ItemCreate(JsonElement root)
    {
        if (!root.TryGetProperty("item", out var element))
        {
            return RealtimeError.Invalid("missing_required_parameter", "Missing required parameter: 'item'.", "item");
        }

        var errors = new List<RealtimeError>();
        var item = ConversationItemReader.Read(element, "item", errors);
        if (item is null)
        {
            return errors[0];
        }

        if (Conversation.Contains(item.Id))
        {
            return RealtimeError.Invalid("invalid_value", $"An item with id '{item.Id}' already exists.", "item.id");
        }

        string? previous = root.TryGetProperty("previous_item_id", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (!Conversation.TryInsert(item, previous, out string? actualPrevious))
        {
            return RealtimeError.Invalid("invalid_value", $"previous_item_id '{previous}' does not exist in the conversation.", "previous_item_id");
        }

        EmitItemAdded(item, actualPrevious);
        EmitItemDone(item);
        EndFunctionWait();
        return null;
    }

    private RealtimeError? ItemRetrieve(JsonElement root)
    {
        if (FindItem(root, out var item) is { } error)
        {
            return error;
        }

        Emit(ServerEventJson.Build("conversation.item.retrieved", w =>
        {
            w.WritePropertyName("item");
            item!.WriteTo(w, includeAudio: true);
        }));
        return null;
    }

    private RealtimeError? ItemDelete(JsonElement root)
    {
        if (FindItem(root, out var item) is { } error)
        {
            return error;
        }

        Conversation.Remove(item!.Id);
        Emit(ServerEventJson.Build("conversation.item.deleted", w => w.WriteString("item_id", item.Id)));
        return null;
    }

    private RealtimeError? ItemTruncate(JsonElement root)
    {
        if (FindItem(root, out var item) is { } error)
        {
            return error;
        }

        if (item!.Role != "assistant" || item.Content.Count == 0 || item.Content[0].Type != "output_audio")
        {
            return RealtimeError.Invalid("invalid_value", "Only assistant messages with audio can be truncated.", "item_id");
        }

        int contentIndex = root.TryGetProperty("content_index", out var ci) && ci.ValueKind == JsonValueKind.Number ? ci.GetInt32() : 0;
        if (contentIndex != 0)
        {
            return RealtimeError.Invalid("invalid_value", "content_index must be 0.", "content_index");
        }

        if (!root.TryGetProperty("audio_end_ms", out var endElement) || endElement.ValueKind != JsonValueKind.Number
            || !endElement.TryGetInt64(out long audioEndMs) || audioEndMs < 0)
        {
            return RealtimeError.Invalid("missing_required_parameter", "audio_end_ms must be a non-negative integer.", "audio_end_ms");
        }

        var part = item.Content[0];
        var format = _leg is null ? Config.OutputFormat : RealtimeAudioFormat.Pcm24k;
        long audioMs = (part.Audio?.Length ?? 0) * 1000L / (format.SampleRate * format.BytesPerSample);
        if (audioEndMs > audioMs)
        {
            return RealtimeError.Invalid("invalid_value",
                $"audio_end_ms ({audioEndMs}) is longer than the item's audio ({audioMs} ms).", "audio_end_ms");
        }

        if (_speakers.TryGetValue(item.Id, out var runner))
        {
            part.Transcript = TranscriptTruncation.Cut(runner.Spoken, audioEndMs);
        }

        if (part.Audio is not null)
        {
            int keep = (int)(audioEndMs * format.SampleRate / 1000) * format.BytesPerSample;
            part.Audio = part.Audio[..Math.Min(keep, part.Audio.Length)];
        }

        EmitTruncated(item.Id, audioEndMs);
        return null;
    }

    private void TruncatePlayed(ResponseRunner runner, ConversationItem message, long playedMs)
    {
        var part = message.Content[0];
        part.Transcript = TranscriptTruncation.Cut(runner.Spoken, playedMs);
        EmitTruncated(message.Id, playedMs);
    }

    private void EmitTruncated(string itemId, long audioEndMs) =>
        Emit(ServerEventJson.Build("conversation.item.truncated", w =>
        {
            w.WriteString("item_id", itemId);
            w.WriteNumber("content_index", 0);
            w.WriteNumber("audio_end_ms", audioEndMs);
        }));

    private RealtimeError? FindItem(JsonElement root, out ConversationItem? item)
    {
        item = null;
        if (!root.TryGetProperty("item_id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
        {
            return RealtimeError.Invalid("missing_required_parameter", "Missing required parameter: 'item_id'.", "item_id");
        }

        string id = idElement.GetString()!;
        item = Conversation.Find(id);
        return item is null
            ? RealtimeError.Invalid("item_not_found", $"Item with item_id not found: {id}", "item_id")
            : null;
    }

    private RealtimeError? ResponseCreate(JsonElement root)
    {
        var errors = new List<RealtimeError>();
        var request = ResponseRequest.Read(root.TryGetProperty("response", out var r) ? r : default, Conversation, errors);
        if (errors.Count > 0)
        {
            return errors[0];
        }

        if (request.WritesToConversation && _active is not null)
        {
            return RealtimeError.Invalid("conversation_already_has_active_response",
                $"Conversation already has an active response in progress: {_active.Id}. Wait until the response is finished before creating a new one.");
        }

        return StartResponse(request);
    }

    private RealtimeError? StartResponse(ResponseRequest request)
    {
        Limits.RateLimitState? limit = null;
        if (_acquireRequest is not null)
        {
            limit = _acquireRequest();
            if (limit is null)
            {
                return RealtimeError.Invalid("rate_limit_exceeded", "This key has used its requests for this second (its HTTP requests and its sessions' responses count); retry when the window resets, in under a second.");
            }
        }

        IResponseAudioOutput? audio = _leg is not null
            ? new CallLegAudioOutput(_leg) { Tap = this }
            : new WireAudioOutput(request.OutputFormat ?? Config.OutputFormat, _options.AudioDeltaMilliseconds) { Tap = this };
        if (request.ScriptedText is null)
        {
            EndFunctionWait();
        }

        var runner = new ResponseRunner(this, request, Config.Clone(), audio) { TurnEndTimestamp = _lastTurnEnd, SpeechEndTimestamp = TakeSpeechEnded() };
        _lastTurnEnd = null;
        if (request.WritesToConversation)
        {
            _active = runner;
            _input.DisarmIdleTimeout();
        }
        else
        {
            _outOfBand.Add(runner);
        }

        runner.Start([.. _pendingTranscripts.Values]);
        if (limit is { } state)
        {
            Emit(ServerEventJson.Build("rate_limits.updated", w =>
            {
                w.WriteStartArray("rate_limits");
                w.WriteStartObject();
                w.WriteString("name", "requests");
                w.WriteNumber("limit", state.Limit);
                w.WriteNumber("remaining", state.Remaining);
                w.WriteNumber("reset_seconds", state.ResetSeconds);
                w.WriteEndObject();
                w.WriteEndArray();
            }));
        }

        return null;
    }

    private RealtimeError? ResponseCancel(JsonElement root)
    {
        string? responseId = root.TryGetProperty("response_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        var target = responseId is null ? _active : _active?.Id == responseId ? _active : _outOfBand.Find(o => o.Id == responseId);
        if (target is null || target.CancelRequested)
        {
            return RealtimeError.Invalid("response_cancel_not_active", "Cancellation failed: no active response found.");
        }

        target.Cancel("client_cancelled");
        return null;
    }

    // Barge-in (speech_started now, or held while the agent speaks and judged): RealtimeSession.BargeIn.cs.
    void IInputAudioEvents.OnSpeechStarted(string itemId, long audioStartMs) => OnSpeechOnset(itemId, audioStartMs);

    void IInputAudioEvents.OnSpeechStopped(string itemId, long audioEndMs)
    {
        BackchannelTurnEnded();
        if (OnSpeechEndJudged(itemId, audioEndMs))
        {
            return;
        }

        MarkSpeechEnded(_input.LastSpeechEndMs);
        Emit(ServerEventJson.Build("input_audio_buffer.speech_stopped", w =>
        {
            w.WriteNumber("audio_end_ms", audioEndMs);
            w.WriteString("item_id", itemId);
        }));
        if (!CommitInput(out _) || Config.TurnDetection?.CreateResponse != true)
        {
            return;
        }

        if (_active is null)
        {
            EmitIfError(StartResponse(new ResponseRequest()));
        }
        else
        {
            // A barged-in response is still closing: the new turn's response starts once it has.
            var previous = _active;
            _ = previous.Completion.ContinueWith(_ =>
            {
                lock (Gate)
                {
                    if (!_closed && _active is null)
                    {
                        EmitIfError(StartResponse(new ResponseRequest()));
                    }
                }
            }, TaskScheduler.Default);
        }
    }

    private void EmitIfError(RealtimeError? error)
    {
        if (error is not null)
        {
            Emit(ServerEventJson.Error(error));
        }
    }

    internal void AddItem(ConversationItem item)
    {
        string? previous = Conversation.LastItemId;
        Conversation.TryInsert(item, null, out _);
        EmitItemAdded(item, previous);
    }

    private void EmitItemAdded(ConversationItem item, string? previous) =>
        Emit(ServerEventJson.Build("conversation.item.added", w =>
        {
            w.WriteString("previous_item_id", previous);
            w.WritePropertyName("item");
            item.WriteTo(w);
        }));

    internal void EmitItemDone(ConversationItem item)
    {
        string? previous = Conversation.PreviousId(item.Id);
        Emit(ServerEventJson.Build("conversation.item.done", w =>
        {
            w.WriteString("previous_item_id", previous);
            w.WritePropertyName("item");
            item.WriteTo(w);
        }));
    }

    internal void OnFirstAudio(ResponseRunner runner)
    {
        if (runner.Message is { } message)
        {
            _speakers[message.Id] = runner;
        }

        _lastSpoken = runner;
        NoteSpeakerStart();
        if (_leg is not null)
        {
            Emit(ServerEventJson.Build("output_audio_buffer.started", w => w.WriteString("response_id", runner.Id)));
        }
    }

    void IInputAudioEvents.OnIdleTimeout(long audioStartMs, long audioEndMs)
    {
        // OpenAI's server_vad idle_timeout_ms: the silent stretch is committed as the user's (empty) turn and a
        // response goes out, so the agent can check whether the user is still there.
        string itemId = _input.SpeechItemId ?? RealtimeIds.Item();
        Emit(ServerEventJson.Build("input_audio_buffer.timeout_triggered", w =>
        {
            w.WriteString("item_id", itemId);
            w.WriteNumber("audio_start_ms", audioStartMs);
            w.WriteNumber("audio_end_ms", audioEndMs);
        }));
        if (CommitInput(out _, itemId) && _active is null)
        {
            EmitIfError(StartResponse(new ResponseRequest
            {
                Instructions = (Config.Instructions + "\nThe user has been silent for a while: briefly check whether they are still there.").Trim(),
            }));
        }
    }

    internal void OnResponseFinished(ResponseRunner runner)
    {
        MemoryTurnFinished(runner);
        if (Config.TurnDetection is { IdleTimeoutMs: not null } && runner.WritesToConversation && !runner.CancelRequested)
        {
            // Counted from when the agent stops talking: the response's audio still has to play out.
            _input.ArmIdleTimeout(_input.TimelineMs + (_leg is null ? runner.AudioMs : (long)_leg.QueuedOutput.TotalMilliseconds));
        }

        if (_active == runner)
        {
            _active = null;
        }

        _outOfBand.Remove(runner);
        if (_leg is not null && runner == _lastSpoken && !runner.CancelRequested)
        {
            _ = EmitStoppedWhenDrainedAsync(runner);
        }
    }

    private async Task EmitStoppedWhenDrainedAsync(ResponseRunner runner)
    {
        await PlayoutDrain.WaitAsync(_leg!, () => _closed).ConfigureAwait(false); // on the media clock, not a timer per call

        lock (Gate)
        {
            if (!_closed && _lastSpoken == runner && _active is null)
            {
                Emit(ServerEventJson.Build("output_audio_buffer.stopped", w => w.WriteString("response_id", runner.Id)));
            }
        }
    }

    internal void Emit(byte[] utf8Json)
    {
        if (!_closed)
        {
            _sink.Send(utf8Json);
        }
    }

    /// <summary>Ends the session: optionally tells the client why, cancels what runs, stops emitting.</summary>
    public void Close(RealtimeError? reason = null)
    {
        lock (Gate)
        {
            if (_closed)
            {
                return;
            }

            if (reason is not null)
            {
                Emit(ServerEventJson.Error(reason));
            }

            _active?.Cancel("client_cancelled");
            foreach (var o in _outOfBand)
            {
                o.Cancel("client_cancelled");
            }

            CloseTools();
            _backchannelStop.Cancel();
            _closed = true;
            _upstream?.Dispose();
        }
    }

    public void Dispose()
    {
        Close();
        lock (Gate)
        {
            _input.Dispose();
        }
    }

    /// <summary>Tags the model wrote that the vocabulary does not know: dropped from speech, logged once per session.</summary>
    internal void ReportUnknownTags(IReadOnlyList<string> tags)
    {
        lock (Gate)
        {
            foreach (var tag in tags)
            {
                if (_unknownTags.Count < 32 && _unknownTags.Add(tag))
                {
                    LogUnknownTag(Logger, tag);
                }
            }
        }
    }

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Unknown expressive tag dropped from speech: {Tag}")]
    private static partial void LogUnknownTag(ILogger logger, string tag);

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Client event {EventType} rejected with {Code}")]
    private static partial void LogClientError(ILogger logger, string eventType, string? code);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Transcription of item {ItemId} failed")]
    private static partial void LogTranscriptionFailed(ILogger logger, Exception ex, string itemId);
}

using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Expressive;
using MediaServer.Pipeline.Tts;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Conversation;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// Runs one response: LLM tokens stream in, tags are filtered out, text goes out as transcript deltas at once and
/// into sentence pieces that the TTS speaks while the LLM is still writing. Every event is emitted under the
/// session lock, in the GA order (created, item added, part added, deltas, part done, item done, response done),
/// and nothing is emitted for a cancelled response after the cancel except its closing events.
/// </summary>
internal sealed class ResponseRunner
{
    private readonly RealtimeSession _session;
    private readonly ResponseRequest _request;
    private readonly IResponseAudioOutput? _audio;
    private readonly CancellationTokenSource _cts = new();
    private readonly List<ConversationItem> _output = [];
    private readonly ExpressiveSpeechPlanner _planner;
    private readonly StringBuilder _transcript = new();
    private readonly MemoryStream _audioStore = new();
    private readonly List<SpokenSegment> _spoken = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConversationItem? _message;
    private string _status = "in_progress";
    private string? _statusReason;
    private RealtimeError? _failure;
    private long _audioSamples;
    private bool _playbackStarted;
    private long _inputTokens;
    private long _startedAt;
    private long _transcriptAt;
    private long _firstTokenAt;
    private long _firstAudioAt;
    private long _lastTokenAt;
    private long _firstPacketAt;
    private long _outputTokens;
    private int _droppedMessages;

    public ResponseRunner(RealtimeSession session, ResponseRequest request, SessionConfig config, IResponseAudioOutput? audio)
    {
        _session = session;
        _request = request;
        Config = config;
        _planner = new(segmentation: Inworld.InworldTtsSettings.Segmentation(config.ProviderData));
        _audio = audio;
    }

    public string Id { get; } = RealtimeIds.Response();

    public SessionConfig Config { get; }

    public bool WritesToConversation => _request.WritesToConversation;

    /// <summary>The tool-wait filler: words spoken without the model.</summary>
    public bool IsScripted => _request.ScriptedText is not null;

    public Task Completion => _completion.Task;

    public bool CancelRequested => _cts.IsCancellationRequested;

    /// <summary>The assistant message being spoken, if any (for barge-in truncation).</summary>
    public ConversationItem? Message => _message;

    public IReadOnlyList<SpokenSegment> Spoken => _spoken;

    private List<string> Modalities => _request.OutputModalities ?? Config.OutputModalities;

    private bool SpeaksAudio => Modalities.Contains("audio") && _audio is not null;

    private string Voice => _request.Voice ?? Config.Voice;

    /// <summary>When the user turn this response answers was committed (<see cref="System.Diagnostics.Stopwatch"/> ticks), if any.</summary>
    public long? TurnEndTimestamp { get; init; }

    /// <summary>When that turn's speech acoustically ended (<see cref="System.Diagnostics.Stopwatch"/> ticks; 0 without VAD).</summary>
    public long SpeechEndTimestamp { get; init; }

    /// <summary>Emits <c>response.created</c> and starts the work. Called under the session lock.</summary>
    public void Start(IReadOnlyList<Task> pendingTranscripts)
    {
        if (_request.ScriptedText is null)
        {
            // A tool-wait filler still rendering stops here, so its audio and this response's never interleave.
            _session.CancelToolFillers();
        }

        _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        _session.Emit(ServerEventJson.Build("response.created", w =>
        {
            w.WritePropertyName("response");
            WriteResponse(w, includeUsage: false);
        }));
        _ = Task.Run(() => RunAsync(pendingTranscripts));
    }

    /// <summary>Requests cancellation (client_cancelled or turn_detected). Called under the session lock.</summary>
    public void Cancel(string reason)
    {
        if (_cts.IsCancellationRequested)
        {
            return;
        }

        _statusReason = reason;
        _cts.Cancel();
    }

    private async Task RunAsync(IReadOnlyList<Task> pendingTranscripts)
    {
        var ct = _cts.Token;
        try
        {
            await Task.WhenAll(pendingTranscripts).WaitAsync(ct).ConfigureAwait(false);

            _transcriptAt = System.Diagnostics.Stopwatch.GetTimestamp();

            IReadOnlyList<ToolDefinition> tools;
            Dictionary<string, Task<McpServerConnection?>> listings;
            List<ConversationItem> approved;
            lock (_session.Gate)
            {
                tools = _request.Tools ?? Config.Tools;
                // Response-level MCP tools are listed now (session-level ones were listed on session.update).
                listings = _request.ScriptedText is null ? _session.EnsureMcpServers(tools, sessionLevel: _request.Tools is null) : [];
                approved = _request.ScriptedText is null && WritesToConversation ? _session.ApprovedMcpRequests() : [];
            }

            await Task.WhenAll(listings.Values).WaitAsync(ct).ConfigureAwait(false);
            var servers = listings.ToDictionary(l => l.Key, l => l.Value.Result, StringComparer.Ordinal);
            var catalog = ServerToolCatalog.Build(tools, servers);

            var sentences = Channel.CreateUnbounded<ExpressiveSegment>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var speaking = SpeaksAudio ? Task.Run(() => SpeakAsync(sentences.Reader, ct), ct) : Task.CompletedTask;
            var calls = new List<FunctionCallContent>();
            // The calls the server ran in this response and their results, in the order the model made them.
            var toolTurns = new List<ChatMessage>();
            ChatFinishReason? finish = null;
            try
            {
                if (_request.ScriptedText is { } scripted)
                {
                    OnStep(_planner.Append(scripted), sentences.Writer);
                }
                else
                {
                    // Calls the client approved in its mcp_approval_response run first, as this response's first items.
                    foreach (var request in approved)
                    {
                        if (_session.McpConnection(request.ServerLabel!) is { } connection)
                        {
                            var target = new ServerToolTarget(request.ServerLabel!, request.Name!, connection, null);
                            await RunServerToolAsync(target, request.Name!, request.Arguments ?? "{}", request.Id, toolTurns, sentences.Writer, ct).ConfigureAwait(false);
                        }
                    }

                    finish = await RunModelAsync(catalog, calls, toolTurns, sentences.Writer, ct).ConfigureAwait(false);
                }

                OnStep(_planner.Complete(), sentences.Writer);
                _session.ReportUnknownTags(_planner.UnknownTags);
            }
            finally
            {
                sentences.Writer.TryComplete();
            }

            await speaking.ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            lock (_session.Gate)
            {
                if (_cts.IsCancellationRequested)
                {
                    throw new OperationCanceledException(ct);
                }

                bool truncated = finish == ChatFinishReason.Length;
                _status = truncated ? "incomplete" : "completed";
                _statusReason = truncated ? "max_output_tokens" : null;
                CloseMessage(truncated ? "incomplete" : "completed");
                bool clientCalls = false;
                foreach (var call in calls)
                {
                    if (catalog.TryGet(call.Name, out var target))
                    {
                        EmitApprovalRequest(target, call);
                    }
                    else
                    {
                        EmitFunctionCall(call);
                        clientCalls = true;
                    }
                }

                if (clientCalls && WritesToConversation)
                {
                    _session.OnFunctionCallsPending();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            lock (_session.Gate)
            {
                _status = "cancelled";
                _statusReason ??= "client_cancelled";
                CloseMessage("incomplete");
            }
        }
        catch (Exception ex)
        {
            _session.Logger.LogWarning(ex, "Response {ResponseId} failed", Id);
            // Stop the speaker too: no audio for this response after its failure is reported.
            _cts.Cancel();
            lock (_session.Gate)
            {
                _status = "failed";
                _failure = ex switch
                {
                    Pipeline.Llm.UnknownModelException unknown => RealtimeError.Invalid("model_not_found", unknown.Message, "session.model"),
                    Pipeline.Llm.ChatProviderException provider => new RealtimeError(RealtimeError.ServerError, provider.Code, provider.Message),
                    ContextOverflowException overflow => RealtimeError.Invalid("context_length_exceeded", overflow.Message, "session.truncation"),
                    _ => new RealtimeError(RealtimeError.ServerError, "response_failed", $"The response failed: {ex.GetType().Name}: {ex.Message}"),
                };
                _session.Emit(ServerEventJson.Error(_failure));
                CloseMessage("incomplete");
            }
        }
        finally
        {
            lock (_session.Gate)
            {
                _session.Emit(ServerEventJson.Build("response.done", w =>
                {
                    w.WritePropertyName("response");
                    WriteResponse(w, includeUsage: true);
                }));
                _session.OnResponseFinished(this);
            }

            Telemetry.RealtimeTelemetry.Responses.Add(1, new KeyValuePair<string, object?>("status", _status));
            if (_statusReason == "turn_detected")
            {
                Telemetry.RealtimeTelemetry.BargeIns.Add(1);
            }

            var marks = Marks(System.Diagnostics.Stopwatch.GetTimestamp());
            Telemetry.TurnLatencyReport.Record(marks);
            Telemetry.TurnTrace.Record(marks, Config.Id, Id, _status);
            _completion.TrySetResult();
        }
    }

    /// <summary>
    /// Asks the model, runs the server tools it calls (MCP tools that need no approval, web search) and asks again
    /// with their results, all within this response, up to <see cref="RealtimeToolOptions.MaxToolRounds"/> rounds.
    /// Client function calls and calls that need approval end the response: they are left in <paramref name="calls"/>.
    /// </summary>
    private async Task<ChatFinishReason?> RunModelAsync(ServerToolCatalog catalog, List<FunctionCallContent> calls, List<ChatMessage> toolTurns,
        ChannelWriter<ExpressiveSegment> sentences, CancellationToken ct)
    {
        var toolOptions = _session.ToolOptions;
        ChatFinishReason? finish = null;
        for (int round = 0; ; round++)
        {
            bool lastRound = round >= toolOptions.MaxToolRounds;
            List<ChatMessage> messages;
            IChatClient chat;
            ChatOptions options;
            lock (_session.Gate)
            {
                var items = (_request.Input ?? [.. _session.Conversation.Items]).Where(i => !_output.Contains(i)).ToList();
                messages = ChatPromptBuilder.Build(_request.Instructions ?? Config.Instructions, items);
                _session.ApplyMemory(Config, messages);
                messages.AddRange(toolTurns);
                chat = _session.Engines.ChatClients.Resolve(Config.Model);
                int? max = _request.MaxOutputTokensSet ? _request.MaxOutputTokens : Config.MaxOutputTokens;
                // A forced choice binds the first round: once the server has run that call, the model may answer.
                string choice = lastRound ? "none" : round > 0 ? "auto" : _request.ToolChoice ?? Config.ToolChoice;
                string? forced = round > 0 ? null : _request.ToolChoice is null ? Config.ToolChoiceFunction : _request.ToolChoiceFunction;
                options = ChatPromptBuilder.Options(
                    _request.Tools ?? Config.Tools,
                    choice,
                    forced,
                    max is int m ? Math.Max(1, m - (int)_outputTokens) : null, // the budget covers every round
                    McpToolChoice.IsMcp(choice) ? catalog.DeclarationsFor(McpToolChoice.Label(choice)) : catalog.Declarations);
                options.Temperature = (float?)(_request.Temperature ?? Config.Temperature) ?? options.Temperature;
            }

            if (!ContextBudget.Apply(messages, Config.Truncation, toolOptions.ContextTokens, out int dropped))
            {
                throw new ContextOverflowException(
                    $"The conversation (about {ContextBudget.Estimate(messages)} tokens) exceeds the context budget of {toolOptions.ContextTokens} tokens and truncation is disabled.");
            }

            _droppedMessages += dropped;
            long inputBefore = _inputTokens;
            var roundCalls = new List<FunctionCallContent>();
            var stream = _session.WithResponsivenessFiller(chat.GetStreamingResponseAsync(messages, options, ct), Config, SpeaksAudio && round == 0,
                line => OnStep(Inworld.FillerStream.Step(line), sentences), ct);
            await foreach (var update in stream.ConfigureAwait(false))
            {
                finish = update.FinishReason ?? finish;
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case TextContent text when !string.IsNullOrEmpty(text.Text):
                            _lastTokenAt = System.Diagnostics.Stopwatch.GetTimestamp();
                            if (_firstTokenAt == 0)
                            {
                                _firstTokenAt = _lastTokenAt;
                            }

                            OnStep(_planner.Append(text.Text), sentences);
                            break;
                        case FunctionCallContent call:
                            roundCalls.Add(call);
                            break;
                        case UsageContent usage:
                            _inputTokens += usage.Details.InputTokenCount ?? 0;
                            _outputTokens += usage.Details.OutputTokenCount ?? 0;
                            break;
                    }
                }
            }

            if (_inputTokens == inputBefore)
            {
                // The provider gave no usage: the prompt is estimated like the context budget counts it.
                _inputTokens += ContextBudget.Estimate(messages);
            }

            var serverCalls = roundCalls.Where(c => catalog.TryGet(c.Name, out var t) && !t.RequiresApproval).ToList();
            calls.AddRange(roundCalls.Except(serverCalls));
            if (serverCalls.Count == 0 || finish == ChatFinishReason.Length)
            {
                return finish;
            }

            foreach (var call in serverCalls)
            {
                catalog.TryGet(call.Name, out var target);
                await RunServerToolAsync(target, call.Name, ArgumentsJson(call), null, toolTurns, sentences, ct).ConfigureAwait(false);
            }

            if (calls.Count > 0)
            {
                return finish; // the client has calls to answer (or approve) first
            }
        }
    }

    /// <summary>
    /// Runs one server tool as an <c>mcp_call</c> output item: added, arguments delta/done, <c>response.mcp_call.in_progress</c>,
    /// the call (with the filler spoken if it takes long), then <c>.completed</c> or <c>.failed</c> and the item done.
    /// </summary>
    private async Task RunServerToolAsync(ServerToolTarget target, string name, string arguments, string? approvalRequestId,
        List<ChatMessage> toolTurns, ChannelWriter<ExpressiveSegment> sentences, CancellationToken ct)
    {
        ConversationItem item;
        int index;
        lock (_session.Gate)
        {
            ct.ThrowIfCancellationRequested();
            item = new ConversationItem
            {
                Id = RealtimeIds.Item(), Type = McpItems.Call, ServerLabel = target.ServerLabel, Name = name, Arguments = "",
                ApprovalRequestId = approvalRequestId, Status = "in_progress",
            };
            AddOutputItem(item);
            index = _output.IndexOf(item);
            EmitArguments("response.mcp_call_arguments", item, index, arguments, callId: null);
            item.Arguments = arguments;
            _session.Emit(ServerEventJson.Build("response.mcp_call.in_progress", w =>
            {
                w.WriteString("item_id", item.Id);
                w.WriteNumber("output_index", index);
            }));
        }

        var toolOptions = _session.ToolOptions;
        using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (_session.CallLeg is { Transport: "webrtc" } leg and IMediaClockedLeg { Clock: var clock })
        {
            SilenceKeepAlive.Start(leg, clock, waitForDrain: false, keepAlive.Token); // unsubscribes when the tool returns
        }

        var running = ServerToolExecutor.RunAsync(target, arguments, toolOptions, ct);
        if (SpeaksAudio && !string.IsNullOrWhiteSpace(toolOptions.FillerText)
            && await Task.WhenAny(running, Task.Delay(toolOptions.FillerDelay, ct)).ConfigureAwait(false) != running)
        {
            SpeakFiller(toolOptions.FillerText, sentences);
        }

        McpCallOutcome outcome;
        try
        {
            outcome = await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            lock (_session.Gate)
            {
                // Barge-in or response.cancel while the tool ran: the item closes incomplete, without output.
                CompleteOutputItem(item, "incomplete");
            }

            throw;
        }
        finally
        {
            await keepAlive.CancelAsync().ConfigureAwait(false);
        }

        if (outcome.Error is { } failure)
        {
            _session.ReportServerToolFailure(target.ServerLabel, name, (string?)failure["type"]);
        }

        lock (_session.Gate)
        {
            ct.ThrowIfCancellationRequested();
            item.Output = outcome.Output;
            item.Error = outcome.Error;
            _session.Emit(ServerEventJson.Build(outcome.Error is null ? "response.mcp_call.completed" : "response.mcp_call.failed", w =>
            {
                w.WriteString("item_id", item.Id);
                w.WriteNumber("output_index", index);
            }));
            CompleteOutputItem(item, outcome.Error is null ? "completed" : "incomplete");
        }

        // The next round reads the conversation without this response's own items: the call and its result travel along.
        toolTurns.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(item.Id, name, ChatPromptBuilder.ParseArguments(arguments))]));
        toolTurns.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(item.Id,
            outcome.Error is { } e ? "Error: " + (string?)e["message"] : outcome.Output)]));
    }

    /// <summary>The filler phrase, spoken at once and shown in the transcript like any words of the response.</summary>
    private void SpeakFiller(string text, ChannelWriter<ExpressiveSegment> sentences)
    {
        string spoken = text.Trim() + " ";
        lock (_session.Gate)
        {
            if (_cts.IsCancellationRequested)
            {
                return;
            }

            EnsureMessage();
            _transcript.Append(spoken);
            _session.Emit(ServerEventJson.Build("response.output_audio_transcript.delta", w =>
            {
                WritePartRef(w);
                w.WriteString("delta", spoken);
            }));
        }

        sentences.TryWrite(new SpeakSegment(text.Trim(), _planner.CurrentStyle));
    }

    /// <summary>A server tool that needs the client's approval: an <c>mcp_approval_request</c> item ends the response.</summary>
    private void EmitApprovalRequest(ServerToolTarget target, FunctionCallContent call)
    {
        var item = new ConversationItem
        {
            Id = "mcpr_" + Guid.NewGuid().ToString("N")[..24], Type = McpItems.ApprovalRequest, ServerLabel = target.ServerLabel,
            Name = call.Name, Arguments = ArgumentsJson(call),
        };
        AddOutputItem(item);
        CompleteOutputItem(item, "completed");
    }

    private static string ArgumentsJson(FunctionCallContent call) => call.Arguments is null ? "{}" : JsonSerializer.Serialize(call.Arguments);

    private void OnStep(ExpressivePlanStep step, ChannelWriter<ExpressiveSegment> segments)
    {
        string clean = step.DisplayDelta;
        if (clean.Length > 0)
        {
            lock (_session.Gate)
            {
                if (_cts.IsCancellationRequested)
                {
                    return;
                }

                EnsureMessage();
                _transcript.Append(clean);
                string type = SpeaksAudio ? "response.output_audio_transcript.delta" : "response.output_text.delta";
                _session.Emit(ServerEventJson.Build(type, w =>
                {
                    WritePartRef(w);
                    w.WriteString("delta", clean);
                }));
                if (SpeaksAudio && Modalities.Contains("text"))
                {
                    // output_modalities ["audio","text"] (Inworld): the words also go out as text deltas.
                    _session.Emit(ServerEventJson.Build("response.output_text.delta", w =>
                    {
                        WritePartRef(w);
                        w.WriteString("delta", clean);
                    }));
                }
            }
        }

        if (SpeaksAudio)
        {
            foreach (var segment in step.Segments)
            {
                segments.TryWrite(segment);
            }
        }
    }

    private async Task SpeakAsync(ChannelReader<ExpressiveSegment> segments, CancellationToken ct)
    {
        var tts = Inworld.InworldTtsSettings.Engine(_session.Engines.TextToSpeech, Config.OutputModel);
        var resampler = Resampler.Create(tts.SampleRate, _audio!.SampleRate);
        short[] converted = new short[4096];
        await foreach (var segment in segments.ReadAllAsync(ct).ConfigureAwait(false))
        {
            long startSamples = _audioSamples;
            // Steering tags shape the prosody of the text they govern; non-verbal tags become sounds in place.
            await foreach (var chunk in ExpressiveSpeechRenderer.RenderAsync(tts, segment, Voice, Config.Speed, ct).ConfigureAwait(false))
            {
                int max = resampler.MaxOutputSamples(chunk.Length);
                if (converted.Length < max)
                {
                    converted = new short[max];
                }

                int n = resampler.Process(chunk.Span, converted);
                lock (_session.Gate)
                {
                    ct.ThrowIfCancellationRequested();
                    EnsureMessage();
                    if (!_playbackStarted)
                    {
                        _playbackStarted = true;
                        _firstAudioAt = System.Diagnostics.Stopwatch.GetTimestamp();
                        _session.OnFirstAudio(this);
                        if (TurnEndTimestamp is long turnEnd)
                        {
                            double ms = System.Diagnostics.Stopwatch.GetElapsedTime(turnEnd).TotalMilliseconds;
                            Telemetry.RealtimeTelemetry.TurnLatency.Record(ms);
                        }
                    }

                    _audio.Write(converted.AsSpan(0, n), EmitAudioDelta, _audioStore);
                    _audioSamples += n;
                }
            }

            lock (_session.Gate)
            {
                _spoken.Add(new SpokenSegment(segment is SpeakSegment speak ? speak.Text : string.Empty, SamplesToMs(startSamples), SamplesToMs(_audioSamples)));
            }
        }
    }

    private long SamplesToMs(long samples) => samples * 1000 / _audio!.SampleRate;

    /// <summary>Milliseconds of agent audio produced so far.</summary>
    public long AudioMs => _audio is null ? 0 : SamplesToMs(_audioSamples);

    private void EmitAudioDelta(byte[] delta)
    {
        if (_firstPacketAt == 0)
        {
            // WebSocket: the first delta event is the first packet. Calls: the first chunk handed to the leg's send
            // queue, which the media clock sends within one frame.
            _firstPacketAt = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        if (!_audio!.ClientOwnsPlayback)
        {
            return;
        }

        _session.Emit(ServerEventJson.Build("response.output_audio.delta", w =>
        {
            WritePartRef(w);
            w.WriteBase64String("delta", delta);
        }));
    }

    private void EnsureMessage()
    {
        if (_message is not null)
        {
            return;
        }

        _message = new ConversationItem { Id = RealtimeIds.Item(), Type = "message", Role = "assistant", Status = "in_progress" };
        AddOutputItem(_message);
        var part = new ContentPart { Type = SpeaksAudio ? "output_audio" : "output_text", Transcript = SpeaksAudio ? "" : null, Text = SpeaksAudio ? null : "" };
        _message.Content.Add(part);
        _session.Emit(ServerEventJson.Build("response.content_part.added", w =>
        {
            WritePartRef(w);
            w.WritePropertyName("part");
            part.WriteTo(w, includeAudio: false);
        }));
    }

    private void AddOutputItem(ConversationItem item)
    {
        int index = _output.Count;
        _output.Add(item);
        _session.Emit(ServerEventJson.Build("response.output_item.added", w =>
        {
            w.WriteString("response_id", Id);
            w.WriteNumber("output_index", index);
            w.WritePropertyName("item");
            item.WriteTo(w);
        }));
        if (WritesToConversation)
        {
            _session.AddItem(item);
        }
    }

    private void CompleteOutputItem(ConversationItem item, string status)
    {
        item.Status = status;
        int index = _output.IndexOf(item);
        _session.Emit(ServerEventJson.Build("response.output_item.done", w =>
        {
            w.WriteString("response_id", Id);
            w.WriteNumber("output_index", index);
            w.WritePropertyName("item");
            item.WriteTo(w);
        }));
        if (WritesToConversation)
        {
            _session.EmitItemDone(item);
        }
    }

    private void CloseMessage(string status)
    {
        if (_message is null || _message.Status != "in_progress")
        {
            return;
        }

        var part = _message.Content[0];
        string text = _transcript.ToString();
        if (SpeaksAudio)
        {
            part.Transcript = text;
            part.Audio = _audioStore.ToArray();
            _session.Emit(ServerEventJson.Build("response.output_audio.done", WritePartRef));
            _session.Emit(ServerEventJson.Build("response.output_audio_transcript.done", w =>
            {
                WritePartRef(w);
                w.WriteString("transcript", text);
            }));
            if (Modalities.Contains("text"))
            {
                _session.Emit(ServerEventJson.Build("response.output_text.done", w =>
                {
                    WritePartRef(w);
                    w.WriteString("text", text);
                }));
            }
        }
        else
        {
            part.Text = text;
            _session.Emit(ServerEventJson.Build("response.output_text.done", w =>
            {
                WritePartRef(w);
                w.WriteString("text", text);
            }));
        }

        _session.Emit(ServerEventJson.Build("response.content_part.done", w =>
        {
            WritePartRef(w);
            w.WritePropertyName("part");
            part.WriteTo(w, includeAudio: false);
        }));
        CompleteOutputItem(_message, status);
    }

    private void EmitFunctionCall(FunctionCallContent call)
    {
        string arguments = ArgumentsJson(call);
        var item = new ConversationItem
        {
            Id = RealtimeIds.Item(),
            Type = "function_call",
            CallId = string.IsNullOrEmpty(call.CallId) ? RealtimeIds.FunctionCall() : call.CallId,
            Name = call.Name,
            Arguments = "",
            Status = "in_progress",
        };
        AddOutputItem(item);
        EmitArguments("response.function_call_arguments", item, _output.IndexOf(item), arguments, item.CallId);
        item.Arguments = arguments;
        CompleteOutputItem(item, "completed");
    }

    /// <summary>
    /// <c>{prefix}.delta</c> events in pieces, then <c>{prefix}.done</c>: function calls carry <c>call_id</c> (and
    /// <c>name</c> on done); MCP calls carry neither (openai-python <c>response_mcp_call_arguments_delta.py</c>).
    /// </summary>
    private void EmitArguments(string prefix, ConversationItem item, int index, string arguments, string? callId)
    {
        const int Piece = 24;
        for (int at = 0; at < arguments.Length; at += Piece)
        {
            string delta = arguments.Substring(at, Math.Min(Piece, arguments.Length - at));
            _session.Emit(ServerEventJson.Build(prefix + ".delta", w =>
            {
                w.WriteString("response_id", Id);
                w.WriteString("item_id", item.Id);
                w.WriteNumber("output_index", index);
                if (callId is not null)
                {
                    w.WriteString("call_id", callId);
                }

                w.WriteString("delta", delta);
            }));
        }

        _session.Emit(ServerEventJson.Build(prefix + ".done", w =>
        {
            w.WriteString("response_id", Id);
            w.WriteString("item_id", item.Id);
            w.WriteNumber("output_index", index);
            if (callId is not null)
            {
                w.WriteString("call_id", callId);
                w.WriteString("name", item.Name);
            }

            w.WriteString("arguments", arguments);
        }));
    }

    private void WritePartRef(Utf8JsonWriter w)
    {
        w.WriteString("response_id", Id);
        w.WriteString("item_id", _message!.Id);
        w.WriteNumber("output_index", _output.IndexOf(_message));
        w.WriteNumber("content_index", 0);
    }

    private void WriteResponse(Utf8JsonWriter w, bool includeUsage)
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("object", "realtime.response");
        w.WriteString("status", _status);
        if (_status is "cancelled" or "incomplete" or "failed")
        {
            w.WriteStartObject("status_details");
            w.WriteString("type", _status);
            if (_statusReason is not null)
            {
                w.WriteString("reason", _statusReason);
            }

            if (_failure is not null)
            {
                w.WriteStartObject("error");
                w.WriteString("type", _failure.Type);
                w.WriteString("code", _failure.Code);
                w.WriteString("message", _failure.Message);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("status_details");
        }

        w.WriteStartArray("output");
        foreach (var item in _output)
        {
            item.WriteTo(w);
        }

        w.WriteEndArray();
        if (WritesToConversation)
        {
            w.WriteString("conversation_id", _session.Conversation.Id);
        }
        else
        {
            w.WriteNull("conversation_id");
        }

        w.WriteStartArray("output_modalities");
        foreach (var m in Modalities)
        {
            w.WriteStringValue(m);
        }

        w.WriteEndArray();
        w.WriteStartObject("audio");
        w.WriteStartObject("output");
        w.WritePropertyName("format");
        (_request.OutputFormat ?? Config.OutputFormat).WriteTo(w);
        w.WriteString("voice", Voice);
        w.WriteEndObject();
        w.WriteEndObject();
        int? max = _request.MaxOutputTokensSet ? _request.MaxOutputTokens : Config.MaxOutputTokens;
        if (max is int m2)
        {
            w.WriteNumber("max_output_tokens", m2);
        }
        else
        {
            w.WriteString("max_output_tokens", "inf");
        }

        w.WritePropertyName("metadata");
        SessionConfig.WriteNode(w, _request.Metadata);
        if (includeUsage)
        {
            WriteUsage(w);
            WriteLatency(w);
        }
        else
        {
            w.WriteNull("usage");
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// Where the time of this turn went, in milliseconds: an extension field of <c>response.done</c> that SDKs
    /// ignore and the console shows. Stages that did not happen (no user turn, no audio) are left out.
    /// </summary>
    private void WriteLatency(Utf8JsonWriter w) => Telemetry.TurnLatencyReport.Write(w, Marks(0), _startedAt);

    /// <summary>This response's turn marks so far (<paramref name="finished"/>: when it ended, 0 while running).</summary>
    private Telemetry.TurnMarks Marks(long finished) =>
        new(SpeechEndTimestamp, TurnEndTimestamp ?? 0, _transcriptAt, _firstTokenAt, _lastTokenAt, _firstAudioAt, _firstPacketAt, finished);

    private void WriteUsage(Utf8JsonWriter w)
    {
        long outputText = _outputTokens > 0 ? _outputTokens : CountWords(_transcript.ToString());
        // Audio tokens are estimated the way OpenAI bills them: about one token per 50 ms of audio.
        long outputAudio = AudioMs / 50;
        long input = _inputTokens;
        w.WriteStartObject("usage");
        w.WriteNumber("total_tokens", input + outputText + outputAudio);
        w.WriteNumber("input_tokens", input);
        w.WriteNumber("output_tokens", outputText + outputAudio);
        w.WriteStartObject("input_token_details");
        w.WriteNumber("text_tokens", input);
        w.WriteNumber("audio_tokens", 0);
        w.WriteNumber("image_tokens", 0);
        w.WriteNumber("cached_tokens", 0);
        w.WriteStartObject("cached_tokens_details");
        w.WriteNumber("text_tokens", 0);
        w.WriteNumber("audio_tokens", 0);
        w.WriteNumber("image_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("output_token_details");
        w.WriteNumber("text_tokens", outputText);
        w.WriteNumber("audio_tokens", outputAudio);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static int CountWords(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>The prompt exceeds the context budget and the session's truncation is <c>disabled</c>.</summary>
internal sealed class ContextOverflowException(string message) : Exception(message);

/// <summary>One spoken piece of a response and where its audio lies (for truncation).</summary>
internal sealed record SpokenSegment(string Text, long StartMs, long EndMs);

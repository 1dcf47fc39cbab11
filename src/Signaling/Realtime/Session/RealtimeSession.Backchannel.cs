using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Tts;
using MediaServer.Signaling.Realtime.Inworld;
using MediaServer.Signaling.Realtime.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// Inworld's back-channel (<c>providerData.backchannel</c>, REALTIME-PROTOCOL.md §6.3/§6.4): while the user is still
/// talking, short acknowledgements ("mm-hmm") are decided by <see cref="BackchannelRuleDecider"/> (timing) and, for
/// <c>decider_kind: llm</c>, a side question to the chat model under <c>hard_deadline_ms</c>; then spoken by the
/// session's TTS at <c>volume_gain</c>. Over a WebSocket they go out as <c>response.backchannel.audio.delta/done</c>,
/// outside any response's lifecycle (no response, item or transcript, so nothing to barge in on or truncate); over
/// WebRTC and SIP they are played on the outgoing track when it is idle (the agent is not speaking), else skipped.
/// Decisions against are reported as <c>response.backchannel.skipped {reason}</c>. One attempt at a time.
/// </summary>
public sealed partial class RealtimeSession
{
    private readonly BackchannelRuleDecider _backchannel = new();
    private SessionConfig? _backchannelConfig;
    private BackchannelSettings _backchannelSettings = new();
    private bool _backchannelRule;
    private bool _backchannelBusy;
    private readonly CancellationTokenSource _backchannelStop = new();

    /// <summary>Called under <see cref="Gate"/> when speech starts.</summary>
    private void BackchannelTurnStarted(long audioStartMs) => _backchannel.StartTurn(audioStartMs);

    /// <summary>Called under <see cref="Gate"/> when the user's turn ends.</summary>
    private void BackchannelTurnEnded() => _backchannel.EndTurn();

    /// <summary>Called under <see cref="Gate"/> after input audio was appended: evaluates while the user speaks.</summary>
    private void BackchannelTick()
    {
        if (!_input.Speaking || _backchannelBusy || _closed) return;
        var settings = CurrentBackchannelSettings();
        if (!settings.Enabled) return;
        long now = _input.TimelineMs;
        var decision = _backchannel.Evaluate(settings, now, _input.LastVoiceMs, _backchannelRule);
        switch (decision.Verdict)
        {
            case BackchannelVerdict.Skip:
                EmitBackchannelSkipped(decision.Reason!);
                break;
            case BackchannelVerdict.Fire:
                _backchannel.RecordFired(now);
                _backchannelBusy = true;
                string transcript = decision.Phrase is null ? _input.PartialTranscript : string.Empty;
                string history = decision.Phrase is null ? SmallModel.HistoryTail(Conversation.Items, settings.HistoryTailItems) : string.Empty;
                _ = Task.Run(() => BackchannelAttemptAsync(settings, decision.Phrase, transcript, history));
                break;
        }
    }

    private BackchannelSettings CurrentBackchannelSettings()
    {
        if (ReferenceEquals(_backchannelConfig, Config)) return _backchannelSettings;
        _backchannelConfig = Config;
        _backchannelSettings = BackchannelSettings.Read(Config.ProviderData);
        _backchannelRule = _backchannelSettings.DeciderKind == "rule";
        if (_backchannelSettings.Enabled && !_backchannelRule)
        {
            try
            {
                // The offline responder cannot judge free speech: it gets the rule decider.
                _backchannelRule = SmallModel.IsOffline(Engines.ChatClients.Resolve(_backchannelSettings.SmallModel ?? Config.Model));
            }
            catch (MediaServer.Pipeline.Llm.UnknownModelException)
            {
                _backchannelRule = true;
            }
        }

        return _backchannelSettings;
    }

    private async Task BackchannelAttemptAsync(BackchannelSettings settings, string? phrase, string transcript, string history)
    {
        var deadline = TimeSpan.FromMilliseconds(settings.HardDeadlineMs);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var stop = _backchannelStop.Token;
        string? skip = null;
        short[] pcm = [];
        try
        {
            if (phrase is null)
            {
                var chat = Engines.ChatClients.Resolve(settings.SmallModel ?? Config.Model);
                string? answer = await SmallModel.AskAsync(chat, BackchannelPrompt.Build(settings, history, transcript),
                    settings.Temperature, settings.MaxTokens, deadline, stop).ConfigureAwait(false);
                phrase = BackchannelPrompt.Read(settings, answer);
                skip = answer is null ? "deadline_exceeded" : phrase is null ? "llm_declined" : null;
            }

            if (phrase is not null)
            {
                int rate = _leg?.OutputSampleRate ?? Config.OutputFormat.SampleRate;
                pcm = await SynthesizeBackchannelAsync(phrase, rate, settings.VolumeGain, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogBackchannelFailed(Logger, ex);
            skip = "failed";
        }

        lock (Gate)
        {
            _backchannelBusy = false;
            if (_closed) return;
            if (skip is null && System.Diagnostics.Stopwatch.GetElapsedTime(started) > deadline) skip = "deadline_exceeded";
            if (skip is null && !_input.Speaking) skip = "user_stopped";
            if (skip is null && _leg is not null && (_active is not null || _leg.QueuedOutput > TimeSpan.Zero)) skip = "agent_speaking";
            if (skip is not null)
            {
                EmitBackchannelSkipped(skip);
                return;
            }

            string id = RealtimeIds.Backchannel();
            if (_leg is not null)
            {
                // The outgoing track is idle (checked above): the acknowledgement is the only thing on it.
                _leg.EnqueueOutput(pcm);
            }
            else
            {
                var wire = new WireAudioOutput(Config.OutputFormat, _options.AudioDeltaMilliseconds);
                using var discard = new MemoryStream();
                wire.Write(pcm, delta => Emit(ServerEventJson.Build("response.backchannel.audio.delta", w =>
                {
                    w.WriteString("backchannel_id", id);
                    w.WriteBase64String("delta", delta);
                })), discard);
            }

            Emit(ServerEventJson.Build("response.backchannel.audio.done", w =>
            {
                w.WriteString("backchannel_id", id);
                w.WriteString("phrase", phrase);
            }));
        }
    }

    /// <summary>The phrase in the session's voice at <paramref name="rate"/>, scaled by <paramref name="gain"/>.</summary>
    private async Task<short[]> SynthesizeBackchannelAsync(string phrase, int rate, double gain, CancellationToken ct)
    {
        var tts = InworldTtsSettings.Engine(Engines.TextToSpeech, Config.OutputModel);
        var resampler = Resampler.Create(tts.SampleRate, rate);
        var output = new List<short>(rate);
        short[] buffer = new short[4096];
        await foreach (var chunk in tts.SynthesizeAsync(new SpeechRequest(phrase, Config.Voice, Config.Speed), ct).ConfigureAwait(false))
        {
            int max = resampler.MaxOutputSamples(chunk.Length);
            if (buffer.Length < max) buffer = new short[max];
            int n = resampler.Process(chunk.Span, buffer);
            for (int i = 0; i < n; i++)
            {
                output.Add((short)Math.Clamp(buffer[i] * gain, short.MinValue, short.MaxValue));
            }
        }

        return [.. output];
    }

    private void EmitBackchannelSkipped(string reason) =>
        Emit(ServerEventJson.Build("response.backchannel.skipped", w => w.WriteString("reason", reason)));

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Back-channel attempt failed")]
    private static partial void LogBackchannelFailed(ILogger logger, Exception ex);
}

using System.Diagnostics.Metrics;
using MediaServer.Pipeline.Interruptions;
using MediaServer.Signaling.Realtime.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// Barge-in. A speech onset while the agent is silent starts the user's turn at once, as OpenAI's server_vad does.
/// While the agent's audio is playing (or its echo may still come back) the onset is held: no
/// <c>input_audio_buffer.speech_started</c>, the agent keeps talking, and <see cref="BargeInDetector"/> judges the
/// sound frame by frame with the echo reference, the voicing and the recogniser's words. An interruption releases
/// the held <c>speech_started</c> (with the true <c>audio_start_ms</c>) and stops the agent in the same frame: the
/// response is cancelled (<c>turn_detected</c>), a call leg's queue is flushed and the played part reported
/// (<c>output_audio_buffer.cleared</c>, <c>conversation.item.truncated</c>). A backchannel, noise or echo ends
/// without events (or, with <c>backchannel_handling: record</c>, a backchannel is committed as a user item with no
/// response) and its audio is dropped. If the agent was stopped but no words come within
/// <c>false_interruption_timeout_ms</c>, the cut response is resumed from the cut word (or with "As I was saying").
/// </summary>
/// <remarks>
/// Everything here runs under <see cref="Gate"/>. Holding <c>speech_started</c> matters over WebSocket: clients stop
/// their playback on it, so a backchannel must not produce one. The undecided window is not ducked: the decision
/// comes 0.4–0.8 s into the sound and the flush is immediate; a leg's queue has no gain control to duck with.
/// </remarks>
public sealed partial class RealtimeSession : IOutgoingAudioTap
{
    private static readonly Counter<long> JudgedSounds = Telemetry.RealtimeTelemetry.Meter.CreateCounter<long>(
        "mediaserver.barge_in.sounds", description: "Sounds heard while the agent spoke, by verdict");

    private readonly FalseInterruptionMonitor _falseInterruption = new();
    private BargeInDetector? _bargeInDetector;
    private bool _judging;
    private string? _heldItemId;
    private long _heldAudioStartMs;
    private int _judgedFrames;
    private long _speakerStartMs;
    private CutResponse? _cut;

    private BargeInDetector BargeIn => _bargeInDetector ??= new BargeInDetector(_options.BargeIn);

    /// <summary>A response the user cut, kept until the false-interruption verdict.</summary>
    private sealed record CutResponse(ResponseRunner Runner, long PlayedMs);

    /// <summary>Agent audio on its way out (any rate): the echo reference, placed after what is already queued.</summary>
    void IOutgoingAudioTap.OnOutgoing(ReadOnlySpan<short> pcm, int sampleRate) => BargeIn.WriteOutgoing(pcm, sampleRate, _input.TimelineMs);

    void IInputAudioEvents.OnInputFrame(ReadOnlySpan<short> frame, float probability, long frameEndMs)
    {
        if (Config.TurnDetection is null)
        {
            return;
        }

        var kind = BargeIn.ProcessFrame(frame, probability, frameEndMs);
        if (_judging && kind == InterruptionKind.Undecided && ++_judgedFrames % 3 == 0)
        {
            kind = BargeIn.UpdateTranscript(_input.PartialTranscript, frameEndMs);
        }

        if (_judging && kind == InterruptionKind.Interruption)
        {
            ReleaseHeldOnset();
        }

        if (_falseInterruption.Armed && _falseInterruption.CheckDeadline(frameEndMs, _input.PartialTranscript))
        {
            // Still sound, still no words: drop it and carry on talking.
            if (_input.Speaking)
            {
                _input.Clear();
                Emit(ServerEventJson.Build("input_audio_buffer.cleared"));
            }

            ResumeCutResponse();
        }
    }

    /// <summary>The turn detector heard speech start (hook of <c>OnSpeechStarted</c>).</summary>
    private void OnSpeechOnset(string itemId, long audioStartMs)
    {
        long now = _input.TimelineMs;
        if (Config.TurnDetection is { BackchannelHandling: not "interrupt" } && BargeIn.AgentAudible(now))
        {
            _judging = true;
            _judgedFrames = 0;
            _heldItemId = itemId;
            _heldAudioStartMs = audioStartMs;
            var kind = BargeIn.BeginOnset(audioStartMs);
            if (kind == InterruptionKind.Interruption)
            {
                ReleaseHeldOnset();
            }

            return;
        }

        EmitSpeechStarted(itemId, audioStartMs);
        InterruptAgent(now);
    }

    /// <summary>
    /// The turn detector heard speech stop (hook of <c>OnSpeechStopped</c>). Returns true when the sound was
    /// handled here (a judged sound that did not interrupt, or a false interruption) and must not become a turn.
    /// </summary>
    private bool OnSpeechEndJudged(string itemId, long audioEndMs)
    {
        if (_judging)
        {
            _judging = false;
            var kind = BargeIn.EndOnset();
            JudgedSounds.Add(1, new KeyValuePair<string, object?>("verdict", kind.ToString().ToLowerInvariant()));
            LogSoundIgnored(Logger, kind, BargeIn.Arbiter.UserSpeechMs, BargeIn.Arbiter.EchoMs);
            if (kind == InterruptionKind.Backchannel && Config.TurnDetection?.BackchannelHandling == "record")
            {
                CommitInput(out _);
            }
            else
            {
                _input.Clear();
            }

            return true;
        }

        if (_falseInterruption.Armed && _falseInterruption.OnSoundEnded(_input.PartialTranscript))
        {
            EmitSpeechStopped(itemId, audioEndMs);
            _input.Clear();
            Emit(ServerEventJson.Build("input_audio_buffer.cleared"));
            ResumeCutResponse();
            return true;
        }

        return false;
    }

    /// <summary>Where the agent's playback of <paramref name="runner"/> starts (hook of <c>OnFirstAudio</c>).</summary>
    private void NoteSpeakerStart() =>
        _speakerStartMs = Math.Max(BargeIn.Reference.EndSample / (Pipeline.Audio.AudioConstants.PipelineSampleRate / 1000), _input.TimelineMs);

    private void ReleaseHeldOnset()
    {
        _judging = false;
        JudgedSounds.Add(1, new KeyValuePair<string, object?>("verdict", "interruption"));
        long now = _input.TimelineMs;
        LogInterruption(Logger, now - BargeIn.Arbiter.OnsetMs, BargeIn.Arbiter.UserSpeechMs);
        // A sound that began as the agent's echo: the turn starts where the user's own speech did (with padding).
        long userStart = BargeIn.Arbiter.UserStartMs;
        long audioStartMs = userStart < 0 ? _heldAudioStartMs : Math.Max(_heldAudioStartMs, userStart - (Config.TurnDetection?.PrefixPaddingMs ?? 300));
        EmitSpeechStarted(_heldItemId ?? _input.SpeechItemId ?? RealtimeIds.Item(), audioStartMs);
        InterruptAgent(now);
    }

    private void EmitSpeechStarted(string itemId, long audioStartMs)
    {
        BackchannelTurnStarted(audioStartMs);
        Emit(ServerEventJson.Build("input_audio_buffer.speech_started", w =>
        {
            w.WriteNumber("audio_start_ms", audioStartMs);
            w.WriteString("item_id", itemId);
        }));
    }

    private void EmitSpeechStopped(string itemId, long audioEndMs) =>
        Emit(ServerEventJson.Build("input_audio_buffer.speech_stopped", w =>
        {
            w.WriteNumber("audio_end_ms", audioEndMs);
            w.WriteString("item_id", itemId);
        }));

    /// <summary>
    /// Barge-in proper: cancels the response being generated, silences what is queued for playback, reports how much
    /// was played, and remembers the cut for false-interruption recovery.
    /// </summary>
    private void InterruptAgent(long nowMs)
    {
        if (Config.TurnDetection?.InterruptResponse != true)
        {
            return;
        }

        var speaker = _active ?? _lastSpoken;
        bool audible = BargeIn.AgentPlaying(nowMs);
        _active?.Cancel("turn_detected");
        long playedMs = speaker is null ? 0 : Math.Clamp(nowMs - _speakerStartMs, 0, speaker.AudioMs);
        if (_leg is not null && _leg.QueuedOutput > TimeSpan.Zero)
        {
            audible = true;
            var dropped = _leg.ClearOutput();
            playedMs = speaker is null ? 0 : (long)Math.Max(0, speaker.AudioMs - dropped.TotalMilliseconds);
            if (speaker?.Message is { } message)
            {
                TruncatePlayed(speaker, message, playedMs);
            }

            Emit(ServerEventJson.Build("output_audio_buffer.cleared", w => w.WriteString("response_id", speaker?.Id)));
        }

        BargeIn.FlushOutgoing(nowMs);
        if (audible && speaker is not null && Config.TurnDetection is { FalseInterruptionTimeoutMs: int timeout } td
            && td.FalseInterruptionRecovery != "none")
        {
            _cut = new CutResponse(speaker, playedMs);
            _falseInterruption.Arm(nowMs, timeout);
        }
        else
        {
            _cut = null;
            _falseInterruption.Disarm();
        }
    }

    /// <summary>The agent stopped for a sound that held no words: it says the rest of what it was saying.</summary>
    private void ResumeCutResponse()
    {
        var cut = _cut;
        _cut = null;
        if (cut is null || _closed)
        {
            return;
        }

        string rest = ResumeText.After(cut.Runner.Spoken, cut.PlayedMs);
        if (rest.Length == 0)
        {
            return;
        }

        if (Config.TurnDetection?.FalseInterruptionRecovery == "acknowledge")
        {
            rest = "As I was saying, " + rest;
        }

        LogResumed(Logger, cut.Runner.Id, cut.PlayedMs);
        var request = new ResponseRequest { ScriptedText = rest };
        if (_active is null)
        {
            EmitIfError(StartResponse(request));
            return;
        }

        // The cancelled response is still closing: resume once it has.
        _ = _active.Completion.ContinueWith(_ =>
        {
            lock (Gate)
            {
                if (!_closed && _active is null)
                {
                    EmitIfError(StartResponse(request));
                }
            }
        }, TaskScheduler.Default);
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Debug, Message = "Barge-in: interruption decided {DecisionMs} ms after the onset ({UserSpeechMs} ms of the user's speech)")]
    private static partial void LogInterruption(ILogger logger, long decisionMs, int userSpeechMs);

    [LoggerMessage(EventId = 131, Level = LogLevel.Debug, Message = "Barge-in: {Kind} while the agent spoke, ignored ({UserSpeechMs} ms user, {EchoMs} ms echo)")]
    private static partial void LogSoundIgnored(ILogger logger, InterruptionKind kind, int userSpeechMs, int echoMs);

    [LoggerMessage(EventId = 132, Level = LogLevel.Information, Message = "Barge-in: false interruption, resuming response {ResponseId} from {PlayedMs} ms")]
    private static partial void LogResumed(ILogger logger, string responseId, long playedMs);
}

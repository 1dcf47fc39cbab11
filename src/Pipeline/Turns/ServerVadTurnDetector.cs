using MediaServer.Pipeline.Audio;

namespace MediaServer.Pipeline.Turns;

/// <summary>
/// Turns per-frame speech probabilities into OpenAI's <c>speech_started</c> / <c>speech_stopped</c> boundaries
/// (REALTIME-PROTOCOL.md §2 and §5.1) with a four-state machine: quiet, starting (speech shorter than the minimum),
/// speaking, stopping (silence shorter than the strategy's limit). Time comes from the frames themselves (their end
/// on the session's input timeline), never from a clock, so decisions are exact and replayable.
/// </summary>
/// <remarks>
/// One instance per input stream; not thread-safe; <see cref="Process"/> allocates nothing. The same machine serves
/// <c>semantic_vad</c> with an <see cref="EagernessTurnEndStrategy"/> (see <see cref="ForSemanticVad"/>).
/// </remarks>
public sealed class ServerVadTurnDetector
{
    private ServerVadOptions _options;
    private ITurnEndStrategy _endStrategy;
    private long _onsetMs;
    private long _lastSpeechEndMs;
    private long _previousTurnEndMs;

    /// <summary>A <c>server_vad</c> detector: the turn ends after <see cref="ServerVadOptions.SilenceDurationMs"/>.</summary>
    public ServerVadTurnDetector(ServerVadOptions? options = null)
        : this(options ?? new ServerVadOptions(), null)
    {
    }

    /// <summary>A detector with a chosen end-of-turn strategy (null means the options' silence duration).</summary>
    public ServerVadTurnDetector(ServerVadOptions options, ITurnEndStrategy? endStrategy)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _endStrategy = endStrategy ?? new SilenceDurationStrategy(options.SilenceDurationMs);
    }

    public TurnState State { get; private set; }

    public ServerVadOptions Options => _options;

    /// <summary>Where the last speech frame ended on the input timeline: the acoustic end of speech of a turn that just
    /// stopped (its <c>audio_end_ms</c> also includes the silence waited for).</summary>
    public long LastSpeechEndMs => _lastSpeechEndMs;

    public ITurnEndStrategy EndStrategy => _endStrategy;

    /// <summary>
    /// While speaking or stopping: <c>audio_start_ms</c> of the current turn, the onset minus the prefix padding,
    /// but never before the start of the session nor before the previous turn's <c>audio_end_ms</c>: that audio was
    /// committed to the previous item and is no longer in the input buffer.
    /// </summary>
    public long AudioStartMs => Math.Max(_previousTurnEndMs, _onsetMs - _options.PrefixPaddingMs);

    /// <summary>A <c>semantic_vad</c> detector for an eagerness, with OpenAI's default threshold and padding.</summary>
    public static ServerVadTurnDetector ForSemanticVad(Eagerness eagerness, IEndOfTurnScorer? scorer = null) =>
        new(new ServerVadOptions(), new EagernessTurnEndStrategy(EagernessPolicy.For(eagerness), scorer));

    /// <summary>Applies a <c>session.update</c>. A turn in progress keeps going under the new rules.</summary>
    public void Reconfigure(ServerVadOptions options, ITurnEndStrategy? endStrategy = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _endStrategy = endStrategy ?? new SilenceDurationStrategy(options.SilenceDurationMs);
    }

    /// <summary>
    /// Feeds one 16 kHz frame with its speech probability: the end-of-turn strategy also hears the frame (the
    /// semantic strategy follows the pitch), then the frame is judged as in <see cref="Process(float, long, int)"/>.
    /// </summary>
    public TurnEvent Process(ReadOnlySpan<short> frame16k, float probability, long frameEndMs)
    {
        var turn = Process(probability, frameEndMs, AudioConstants.FrameMilliseconds);
        if (State != TurnState.Quiet)
        {
            _endStrategy.ObserveFrame(frame16k, probability >= _options.Threshold);
        }

        return turn;
    }

    /// <summary>
    /// Feeds one frame's speech probability. <paramref name="frameEndMs"/> is where the frame ends on the input
    /// timeline; <paramref name="frameDurationMs"/> its length (20 ms in the pipeline).
    /// </summary>
    public TurnEvent Process(float probability, long frameEndMs, int frameDurationMs = AudioConstants.FrameMilliseconds)
    {
        long frameStartMs = Math.Max(0, frameEndMs - frameDurationMs);
        bool speech = probability >= _options.Threshold;
        bool silence = probability < _options.Threshold - _options.ReleaseHysteresis;

        switch (State)
        {
            case TurnState.Quiet:
                if (speech)
                {
                    // A new turn may be starting: the strategy forgets the last one.
                    _endStrategy.Reset();
                    _onsetMs = frameStartMs;
                    _lastSpeechEndMs = frameEndMs;
                    State = TurnState.Starting;
                    return ConfirmIfLongEnough(frameEndMs);
                }

                return TurnEvent.None;

            case TurnState.Starting:
                if (!speech)
                {
                    // Too short to be a turn: a click, a cough, a keyboard tap.
                    State = TurnState.Quiet;
                    return TurnEvent.None;
                }

                _lastSpeechEndMs = frameEndMs;
                return ConfirmIfLongEnough(frameEndMs);

            case TurnState.Speaking:
                if (silence)
                {
                    State = TurnState.Stopping;
                    return EndIfSilentLongEnough(frameEndMs);
                }

                _lastSpeechEndMs = frameEndMs;
                return TurnEvent.None;

            default: // Stopping
                if (speech)
                {
                    _lastSpeechEndMs = frameEndMs;
                    State = TurnState.Speaking;
                    return TurnEvent.None;
                }

                return EndIfSilentLongEnough(frameEndMs);
        }
    }

    /// <summary>
    /// Forgets any turn in progress without reporting it. After <c>input_audio_buffer.clear</c> or a manual commit,
    /// pass the timeline position where the buffer now starts, so the next turn's padding does not reach before it.
    /// </summary>
    public void Reset(long bufferStartMs = 0)
    {
        State = TurnState.Quiet;
        _onsetMs = 0;
        _lastSpeechEndMs = 0;
        _previousTurnEndMs = Math.Max(0, bufferStartMs);
        _endStrategy.Reset();
    }

    private TurnEvent ConfirmIfLongEnough(long frameEndMs)
    {
        if (frameEndMs - _onsetMs < _options.MinSpeechDurationMs)
        {
            return TurnEvent.None;
        }

        State = TurnState.Speaking;
        return new TurnEvent(TurnEventKind.SpeechStarted, AudioStartMs);
    }

    private TurnEvent EndIfSilentLongEnough(long frameEndMs)
    {
        int silenceMs = (int)Math.Min(int.MaxValue, frameEndMs - _lastSpeechEndMs);
        int speechMs = (int)Math.Min(int.MaxValue, _lastSpeechEndMs - _onsetMs);
        if (!_endStrategy.ShouldEndTurn(silenceMs, speechMs))
        {
            return TurnEvent.None;
        }

        State = TurnState.Quiet;
        _previousTurnEndMs = frameEndMs;
        return new TurnEvent(TurnEventKind.SpeechStopped, frameEndMs);
    }
}

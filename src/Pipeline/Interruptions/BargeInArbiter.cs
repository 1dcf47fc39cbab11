namespace MediaServer.Pipeline.Interruptions;

/// <summary>
/// Decides what a sound that started while the agent speaks is: an <see cref="InterruptionKind.Interruption"/>
/// (decided as soon as the evidence is in, so the agent stops within a frame of it), or, when the sound ends first, a
/// <see cref="InterruptionKind.Backchannel"/>, <see cref="InterruptionKind.Noise"/> or
/// <see cref="InterruptionKind.Echo"/>. Evidence is counted per frame: speech frames (VAD) that the agent's own audio
/// does not explain are the user's; of those, voiced frames are a voice. An interruption needs
/// <see cref="BargeInOptions.MinInterruptionMs"/> of the user's speech with <see cref="BargeInOptions.MinVoicedMs"/>
/// voiced, or <see cref="BargeInOptions.MinInterruptionWords"/> recognised words outside the backchannel lexicon
/// after <see cref="BargeInOptions.MinWordsSpeechMs"/>; when the recogniser has heard only backchannel words the
/// duration rule waits up to <see cref="BargeInOptions.BackchannelMaxMs"/>.
/// </summary>
/// <remarks>
/// Frames are remembered for a second and a half, so the onset (reported by the turn detector a few frames late, with
/// its prefix padding) is judged from its true start. Not thread-safe; no allocation per frame.
/// </remarks>
public sealed class BargeInArbiter
{
    private const int FrameMs = 20;
    private const int HistoryFrames = 75;

    /// <summary>A gap in the user's speech this long starts the count again (within a sentence pauses are shorter).</summary>
    private const int UserGapResetMs = 400;

    private readonly BargeInFrame[] _history = new BargeInFrame[HistoryFrames];
    private BargeInOptions _options;
    private int _historyCount;
    private int _historyNext;
    private int _speechMs;
    private int _echoMs;
    private int _userMs;
    private int _voicedUserMs;
    private int _contentWords;
    private int _backchannelWords;
    private long _lastUserEndMs;

    public BargeInArbiter(BargeInOptions? options = null)
    {
        _options = options ?? new BargeInOptions();
        _options.Validate();
    }

    public BargeInOptions Options
    {
        get => _options;
        set
        {
            value.Validate();
            _options = value;
        }
    }

    /// <summary>True between <see cref="Begin"/> and the decision or <see cref="End"/>.</summary>
    public bool Pending { get; private set; }

    /// <summary>The decision for the current (or last) sound.</summary>
    public InterruptionKind Decision { get; private set; }

    /// <summary>Where the sound being judged started (its onset on the input timeline).</summary>
    public long OnsetMs { get; private set; }

    /// <summary>Timeline position of the frame at which the decision was made (for latency figures).</summary>
    public long DecidedAtMs { get; private set; }

    /// <summary>
    /// Where the user's own speech in the current sound began (the sound may have started as echo), or -1.
    /// </summary>
    public long UserStartMs { get; private set; } = -1;

    /// <summary>Speech of the user's (not echo) counted so far for the current sound, ms.</summary>
    public int UserSpeechMs => _userMs;

    /// <summary>Speech frames the agent's echo explained, ms.</summary>
    public int EchoMs => _echoMs;

    /// <summary>Feeds one frame. Returns the decision when this frame made it, else <see cref="InterruptionKind.Undecided"/>.</summary>
    public InterruptionKind Process(in BargeInFrame frame)
    {
        _history[_historyNext] = frame;
        _historyNext = (_historyNext + 1) % HistoryFrames;
        _historyCount = Math.Min(_historyCount + 1, HistoryFrames);
        if (!Pending)
        {
            return InterruptionKind.Undecided;
        }

        Count(frame);
        return Decide(frame.EndMs);
    }

    /// <summary>
    /// A sound started at <paramref name="onsetMs"/> while the agent speaks: frames since then (already fed) are
    /// counted, and the decision may come at once.
    /// </summary>
    public InterruptionKind Begin(long onsetMs)
    {
        Pending = true;
        Decision = InterruptionKind.Undecided;
        OnsetMs = onsetMs;
        _speechMs = _echoMs = _userMs = _voicedUserMs = _contentWords = _backchannelWords = 0;
        UserStartMs = -1;
        long lastEnd = -1;
        for (int i = 0; i < _historyCount; i++)
        {
            ref readonly var f = ref _history[(_historyNext - _historyCount + i + HistoryFrames) % HistoryFrames];
            if (f.EndMs > onsetMs)
            {
                Count(f);
                lastEnd = f.EndMs;
            }
        }

        return lastEnd < 0 ? InterruptionKind.Undecided : Decide(lastEnd);
    }

    /// <summary>The recogniser's hypothesis so far for the current sound.</summary>
    public InterruptionKind UpdateTranscript(ReadOnlySpan<char> partial, long nowMs)
    {
        _contentWords = BackchannelLexicon.CountContentWords(partial, out _backchannelWords);
        return Pending ? Decide(nowMs) : InterruptionKind.Undecided;
    }

    /// <summary>The sound ended without interrupting: says what it was.</summary>
    public InterruptionKind End()
    {
        if (!Pending)
        {
            return Decision;
        }

        Pending = false;
        if (_speechMs > 0 && _echoMs * 2 >= _speechMs && _voicedUserMs < _options.MinVoicedMs / 2)
        {
            Decision = InterruptionKind.Echo;
        }
        else if (_voicedUserMs >= 2 * FrameMs || _backchannelWords + _contentWords > 0)
        {
            Decision = InterruptionKind.Backchannel;
        }
        else
        {
            Decision = InterruptionKind.Noise;
        }

        return Decision;
    }

    /// <summary>Drops any pending judgement (the agent stopped, the session was reconfigured).</summary>
    public void Cancel()
    {
        Pending = false;
        Decision = InterruptionKind.Undecided;
    }

    private void Count(in BargeInFrame frame)
    {
        if (frame.SpeechProbability < _options.SpeechThreshold || frame.LevelDb < _options.MinLevelDb)
        {
            return;
        }

        _speechMs += FrameMs;
        if (frame.Echo.Explains(_options.EchoSimilarity))
        {
            _echoMs += FrameMs;
            return;
        }

        if (_userMs > 0 && frame.EndMs - _lastUserEndMs > UserGapResetMs)
        {
            // A pause of the user's: "uh-huh ... yeah" or echo dips far apart do not add up to a turn.
            _userMs = _voicedUserMs = 0;
        }

        if (_userMs == 0)
        {
            UserStartMs = frame.EndMs - FrameMs;
        }

        _lastUserEndMs = frame.EndMs;
        _userMs += FrameMs;
        if (frame.Voiced)
        {
            _voicedUserMs += FrameMs;
        }
    }

    private InterruptionKind Decide(long nowMs)
    {
        var o = _options;
        // The recogniser hears the whole sound: when the agent's echo is most of it, its words are the agent's.
        bool words = o.MinInterruptionWords > 0 && _contentWords >= o.MinInterruptionWords && _userMs >= o.MinWordsSpeechMs
            && _echoMs <= _userMs / 2;
        int needed = _contentWords == 0 && _backchannelWords > 0 ? o.BackchannelMaxMs : o.MinInterruptionMs;
        bool duration = _userMs >= needed && _voicedUserMs >= o.MinVoicedMs;
        if (!words && !duration)
        {
            return InterruptionKind.Undecided;
        }

        Pending = false;
        Decision = InterruptionKind.Interruption;
        DecidedAtMs = nowMs;
        return Decision;
    }
}

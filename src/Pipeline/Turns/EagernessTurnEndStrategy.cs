namespace MediaServer.Pipeline.Turns;

/// <summary>
/// <c>semantic_vad</c>'s end of turn: acoustic silence, then how complete the turn sounds. Once the silence reaches the
/// eagerness' short pause, the <see cref="IEndOfTurnScorer"/> is asked with the streaming transcript and the final
/// pitch movement (asked again whenever the transcript changes during the pause); its probability sets how long the
/// silence must last (<see cref="EagernessPolicy.RequiredSilenceMs"/>), never longer than the eagerness' bound
/// (8 s, 4 s, 2 s for low, medium, high).
/// </summary>
/// <remarks>
/// A scorer that answers asynchronously (a model) is asked once per pause and transcript; until it answers, the
/// <see cref="Fallback"/> scorer's synchronous answer is used, so a slow model can only delay a decision the
/// heuristics would not have taken yet. Not thread-safe, like the detector that owns it; it allocates only when a
/// pause is scored (once or twice per pause), never per frame.
/// </remarks>
public sealed class EagernessTurnEndStrategy : ITurnEndStrategy
{
    private readonly FinalPitchTracker _pitch = new();
    private string? _scoredTranscript;
    private bool _scoredThisPause;
    private float? _score;
    private Task<float?>? _pending;
    private CancellationTokenSource? _pendingCts;

    public EagernessTurnEndStrategy(EagernessPolicy policy, IEndOfTurnScorer? scorer = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        Scorer = scorer ?? HeuristicEndOfTurnScorer.Instance;
    }

    public EagernessPolicy Policy { get; }

    /// <summary>The scorer consulted at pauses.</summary>
    public IEndOfTurnScorer Scorer { get; }

    /// <summary>Answers while <see cref="Scorer"/>'s asynchronous answer is pending.</summary>
    public IEndOfTurnScorer Fallback { get; init; } = HeuristicEndOfTurnScorer.Instance;

    /// <summary>
    /// The streaming transcript of the turn in progress (the recogniser's partial hypothesis), set by the input
    /// pipeline when it starts a recogniser for the turn; null when there is none (the scorer then has pitch only).
    /// </summary>
    public Func<string>? Transcript { get; set; }

    /// <summary>
    /// How far <see cref="Transcript"/> trails the audio, in milliseconds (<see cref="Stt.ISpeechRecognitionStream.PartialLagMs"/>);
    /// null when unknown. When the transcript has not reached the pause yet (a recogniser behind on a loaded machine),
    /// the pause is not scored on stale words: the turn waits for the transcript, at most the eagerness' bound.
    /// </summary>
    public Func<int>? TranscriptLagMs { get; set; }

    /// <summary>
    /// Lag tolerated beyond the pause itself: a recogniser that keeps up refreshes its partial every couple hundred
    /// milliseconds and decodes in 100 ms pieces, so its partial trails by up to about this much when nothing is late.
    /// </summary>
    public const int TranscriptLagToleranceMs = 300;

    /// <summary>
    /// An estimate set from outside that overrides the scorer for the current turn (probability, 0 to 1, that the turn
    /// is complete); null when unset. Cleared at the start of each turn.
    /// </summary>
    public float? CompletionProbability { get; set; }

    /// <summary>The scorer's latest probability for this turn (null before the first pause or without evidence).</summary>
    public float? LastScore => _score;

    /// <summary>The final pitch movement as of the last speech frame.</summary>
    public FinalProsody Prosody => _pitch.Final();

    public void ObserveFrame(ReadOnlySpan<short> frame16k, bool speech)
    {
        _pitch.Process(frame16k, speech);
        if (speech && _scoredThisPause)
        {
            // The user went on: the next pause is scored afresh, on the longer transcript and the new final contour.
            _scoredThisPause = false;
            CancelPending();
        }
    }

    public bool ShouldEndTurn(int silenceMs, int speechMs)
    {
        if (CompletionProbability is float forced)
        {
            return silenceMs >= Policy.RequiredSilenceMs(forced);
        }

        if (silenceMs < Policy.SilenceDurationMs)
        {
            return false;
        }

        if (Transcript is not null && TranscriptLagMs?.Invoke() is int lag && lag > silenceMs + TranscriptLagToleranceMs)
        {
            // The partial has not heard the end of the speech yet: judging it now would judge older words.
            return silenceMs >= Policy.MaxWaitMs;
        }

        string transcript = Transcript?.Invoke() ?? string.Empty;
        if (!_scoredThisPause || !string.Equals(transcript, _scoredTranscript, StringComparison.Ordinal))
        {
            Ask(transcript, speechMs, silenceMs);
        }

        if (_pending is { IsCompleted: true } done)
        {
            // A model that failed, timed out or had no opinion leaves the fallback's score in place.
            if (done.IsCompletedSuccessfully && done.Result is float answer)
            {
                _score = answer;
            }

            _pending = null;
        }

        return silenceMs >= Policy.RequiredSilenceMs(_score ?? 1f);
    }

    public void Reset()
    {
        CompletionProbability = null;
        _score = null;
        _scoredTranscript = null;
        _scoredThisPause = false;
        CancelPending();
        _pitch.Reset();
    }

    private void Ask(string transcript, int speechMs, int silenceMs)
    {
        _scoredThisPause = true;
        _scoredTranscript = transcript;
        CancelPending();
        var context = new EndOfTurnContext(transcript, _pitch.Final(), speechMs, silenceMs);
        _pendingCts = new CancellationTokenSource();
        ValueTask<float?> answer;
        try
        {
            answer = Scorer.ScoreAsync(context, _pendingCts.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A broken scorer must not stall turn-taking: the fallback decides.
            answer = ValueTask.FromException<float?>(ex);
        }

        if (answer.IsCompletedSuccessfully)
        {
            _score = answer.Result;
            return;
        }

        _pending = answer.AsTask();
        var quick = Fallback.ScoreAsync(context, CancellationToken.None);
        if (quick.IsCompletedSuccessfully)
        {
            _score = quick.Result;
        }
    }

    private void CancelPending()
    {
        if (_pendingCts is not null)
        {
            _pendingCts.Cancel();
            _pendingCts.Dispose();
            _pendingCts = null;
        }

        _pending = null;
    }
}

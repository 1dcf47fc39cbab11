namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>What the decider says at one evaluation.</summary>
public enum BackchannelVerdict
{
    /// <summary>Not yet (too early, too soon after the last one, not between eval intervals, or no pause).</summary>
    Wait,

    /// <summary>Eligible now: back-channel (the rule decider picked <see cref="BackchannelDecision.Phrase"/>; the LLM
    /// decider still asks its model).</summary>
    Fire,

    /// <summary>Eligible but decided against; <see cref="BackchannelDecision.Reason"/> says why (sent as
    /// <c>response.backchannel.skipped</c>).</summary>
    Skip,
}

public readonly record struct BackchannelDecision(BackchannelVerdict Verdict, string? Phrase = null, string? Reason = null);

/// <summary>
/// The timing rules of a back-channel within one user turn, on the input audio timeline (so a client streaming faster
/// than real time gets the same decisions): evaluate at most every <c>eval_interval_ms</c>; nothing before
/// <c>min_speech_ms</c> of speech; at least <c>min_gap_ms</c> between two; at most <c>max_per_turn</c> (one
/// <c>max_per_turn</c> skip is reported, then silence); with <c>require_pause</c> only while the user pauses
/// (<see cref="PauseMs"/> without voice). When eligible, the rule decider fires with <c>rule_fire_probability</c> and
/// rotates through <c>allowed_phrases</c>. Not thread-safe: the session calls it under its lock.
/// </summary>
public sealed class BackchannelRuleDecider(Func<double>? random = null)
{
    /// <summary>Voice absent this long counts as a pause (a little more than a VAD hangover between words).</summary>
    public const int PauseMs = 200;

    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;
    private long _turnStartMs = -1;
    private long _lastEvalMs = long.MinValue;
    private long _lastFireMs = long.MinValue;
    private int _fired;
    private int _phrase;
    private bool _capReported;

    /// <summary>Back-channels fired in this turn.</summary>
    public int FiredThisTurn => _fired;

    /// <summary>A user turn started at <paramref name="speechStartMs"/>: the counters reset.</summary>
    public void StartTurn(long speechStartMs)
    {
        _turnStartMs = speechStartMs;
        _lastEvalMs = long.MinValue;
        _lastFireMs = long.MinValue;
        _fired = 0;
        _capReported = false;
    }

    /// <summary>The user turn ended: nothing is eligible until the next one starts.</summary>
    public void EndTurn() => _turnStartMs = -1;

    /// <summary>Evaluates at <paramref name="nowMs"/>; <paramref name="lastVoiceMs"/> is when voice was last heard.</summary>
    /// <param name="ruleDecides">True for the rule decider (probability and phrase); false when an LLM decides after.</param>
    public BackchannelDecision Evaluate(BackchannelSettings settings, long nowMs, long lastVoiceMs, bool ruleDecides)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled || _turnStartMs < 0 || nowMs - _lastEvalMs < settings.EvalIntervalMs && _lastEvalMs != long.MinValue)
        {
            return default;
        }

        if (nowMs - _turnStartMs < settings.MinSpeechMs) return default;
        if (_fired >= settings.MaxPerTurn)
        {
            if (_capReported) return default;
            _capReported = true;
            return new BackchannelDecision(BackchannelVerdict.Skip, Reason: "max_per_turn");
        }

        if (_lastFireMs != long.MinValue && nowMs - _lastFireMs < settings.MinGapMs) return default;
        if (settings.RequirePause && nowMs - lastVoiceMs < PauseMs) return default;

        // Eligible: from here on the interval counts, so a declined chance is not retried on the next 20 ms frame.
        _lastEvalMs = nowMs;
        if (ruleDecides && _random() >= settings.RuleFireProbability)
        {
            return new BackchannelDecision(BackchannelVerdict.Skip, Reason: "rule_declined");
        }

        return new BackchannelDecision(BackchannelVerdict.Fire, ruleDecides ? NextPhrase(settings) : null);
    }

    /// <summary>Counts a back-channel as fired at <paramref name="nowMs"/> (its audio is on its way).</summary>
    public void RecordFired(long nowMs)
    {
        _fired++;
        _lastFireMs = nowMs;
    }

    private string NextPhrase(BackchannelSettings settings)
    {
        var phrases = settings.AllowedPhrases;
        return phrases[_phrase++ % phrases.Count];
    }
}

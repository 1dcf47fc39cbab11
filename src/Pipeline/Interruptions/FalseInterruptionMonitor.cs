namespace MediaServer.Pipeline.Interruptions;

/// <summary>
/// After the agent stopped for a sound, watches whether that sound turns into words within
/// <c>false_interruption_timeout_ms</c>. If the sound ends, or the time runs out, with no word recognised, the stop
/// was a false interruption and the agent should pick up where it stopped (LiveKit Agents calls this "resume false
/// interruption"). Time is the input timeline, so the check needs no timer. Backchannel words ("yeah", "mm") and
/// fillers do not count as words here: the user did not take the turn.
/// </summary>
public sealed class FalseInterruptionMonitor
{
    /// <summary>True from <see cref="Arm"/> until a verdict.</summary>
    public bool Armed { get; private set; }

    /// <summary>Input timeline position by which words must have come.</summary>
    public long DeadlineMs { get; private set; }

    /// <summary>The agent was stopped at <paramref name="nowMs"/>; words are expected within <paramref name="timeoutMs"/>.</summary>
    public void Arm(long nowMs, int timeoutMs)
    {
        Armed = true;
        DeadlineMs = nowMs + timeoutMs;
    }

    public void Disarm() => Armed = false;

    /// <summary>
    /// Called every frame with the recogniser's hypothesis. Returns true once, when the deadline passed with no
    /// words: resume. Words disarm it (a real turn).
    /// </summary>
    public bool CheckDeadline(long nowMs, ReadOnlySpan<char> partial)
    {
        if (!Armed)
        {
            return false;
        }

        if (HasWords(partial))
        {
            Armed = false;
            return false;
        }

        if (nowMs < DeadlineMs)
        {
            return false;
        }

        Armed = false;
        return true;
    }

    /// <summary>The sound ended (end of turn) before the deadline: true (resume) when it held no words.</summary>
    public bool OnSoundEnded(ReadOnlySpan<char> transcript)
    {
        if (!Armed)
        {
            return false;
        }

        Armed = false;
        return !HasWords(transcript);
    }

    public static bool HasWords(ReadOnlySpan<char> transcript) => BackchannelLexicon.CountContentWords(transcript, out _) > 0;
}

namespace MediaServer.Pipeline.Interruptions;

/// <summary>What a sound heard while the agent speaks turned out to be.</summary>
public enum InterruptionKind
{
    /// <summary>Not decided yet: the sound is still going and has not given enough evidence either way.</summary>
    Undecided,

    /// <summary>The user is taking the turn: stop the agent, flush its queued audio.</summary>
    Interruption,

    /// <summary>"yeah", "uh-huh", "mm-hmm", "right", a short laugh: the user is listening; the agent keeps talking.</summary>
    Backchannel,

    /// <summary>A cough, a knock, a burst of noise: no voice, nothing to answer.</summary>
    Noise,

    /// <summary>The agent's own voice coming back (a phone line's hybrid, a speaker without echo cancellation).</summary>
    Echo,
}

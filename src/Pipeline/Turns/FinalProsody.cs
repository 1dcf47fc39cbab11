namespace MediaServer.Pipeline.Turns;

/// <summary>How the voice's pitch moved at the end of the last stretch of speech.</summary>
public enum PitchMovement
{
    /// <summary>Too few voiced frames to tell (whisper, noise, a very short word).</summary>
    Unknown,

    /// <summary>A final fall: the usual end of a statement or a wh-question.</summary>
    Falling,

    /// <summary>Level pitch: typical of a speaker holding the turn (a list, "and ...", a hesitation).</summary>
    Level,

    /// <summary>A final rise: a continuation rise, or a yes/no question.</summary>
    Rising,
}

/// <summary>
/// The final pitch contour of a stretch of speech.
/// </summary>
/// <param name="Movement">The classification of <paramref name="SlopeSemitonesPerSecond"/> and <paramref name="FinalVsMedianSemitones"/>.</param>
/// <param name="SlopeSemitonesPerSecond">Least-squares slope of F0 (in semitones) over the last voiced frames.</param>
/// <param name="FinalVsMedianSemitones">Pitch of the last voiced frames relative to the turn's median pitch.</param>
public readonly record struct FinalProsody(PitchMovement Movement, double SlopeSemitonesPerSecond, double FinalVsMedianSemitones)
{
    public static FinalProsody Unknown => default;
}

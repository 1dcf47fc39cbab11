namespace MediaServer.Pipeline.Interruptions;

/// <summary>How well the outgoing audio explains one microphone frame.</summary>
/// <param name="ReferenceActive">The agent's audio was playing within the echo path's reach of this frame.</param>
/// <param name="Similarity">Normalised cross-correlation (0..1) of the last 64 ms with the reference at the tracked
/// delay; 0 when there is no reference or no sound.</param>
/// <param name="DelayMs">The echo path delay being tracked, or -1 before one was found.</param>
public readonly record struct EchoEstimate(bool ReferenceActive, float Similarity, int DelayMs)
{
    public static EchoEstimate None => new(false, 0, -1);

    /// <summary>True when the frame is the agent's own voice at a similarity of at least <paramref name="threshold"/>.</summary>
    public bool Explains(float threshold) => ReferenceActive && Similarity >= threshold;
}

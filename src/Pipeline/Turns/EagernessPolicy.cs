namespace MediaServer.Pipeline.Turns;

/// <summary>
/// Silence timings for one <c>semantic_vad</c> eagerness. <see cref="SilenceDurationMs"/> is the pause that ends a
/// turn that sounds complete; <see cref="MaxWaitMs"/> is the upper bound OpenAI documents for a turn that sounds
/// unfinished (about 8 s, 4 s and 2 s for low, medium and high, REALTIME-PROTOCOL.md §2). The short pauses are our
/// choice, bracketing <c>server_vad</c>'s 500 ms default: 800 ms for low, 500 ms for medium, 300 ms for high.
/// </summary>
public sealed record EagernessPolicy(Eagerness Eagerness, int SilenceDurationMs, int MaxWaitMs)
{
    public static EagernessPolicy Low { get; } = new(Eagerness.Low, 800, 8000);

    public static EagernessPolicy Medium { get; } = new(Eagerness.Medium, 500, 4000);

    public static EagernessPolicy High { get; } = new(Eagerness.High, 300, 2000);

    public static EagernessPolicy Auto { get; } = Medium with { Eagerness = Eagerness.Auto };

    /// <summary>The policy for an eagerness value.</summary>
    public static EagernessPolicy For(Eagerness eagerness) => eagerness switch
    {
        Eagerness.Low => Low,
        Eagerness.High => High,
        Eagerness.Medium => Medium,
        _ => Auto,
    };

    /// <summary>Parses the wire value (<c>low</c>, <c>medium</c>, <c>high</c>, <c>auto</c>), case-sensitively as OpenAI does.</summary>
    public static bool TryParse(string? value, out Eagerness eagerness)
    {
        switch (value)
        {
            case "low":
                eagerness = Eagerness.Low;
                return true;
            case "medium":
                eagerness = Eagerness.Medium;
                return true;
            case "high":
                eagerness = Eagerness.High;
                return true;
            case "auto":
                eagerness = Eagerness.Auto;
                return true;
            default:
                eagerness = Eagerness.Auto;
                return false;
        }
    }

    /// <summary>
    /// Silence needed to end the turn when the turn is judged complete with probability <paramref name="completion"/>:
    /// <see cref="SilenceDurationMs"/> when surely complete, <see cref="MaxWaitMs"/> when surely not, and between them
    /// along <c>(1 - p)²</c>, so a fairly confident "complete" (0.9) costs almost nothing over the short pause (1 % of
    /// the span) while a confident "unfinished" (0.1) waits most of the way to the bound (81 %).
    /// </summary>
    public int RequiredSilenceMs(float completion)
    {
        float p = float.IsNaN(completion) ? 1f : Math.Clamp(completion, 0f, 1f);
        float doubt = (1f - p) * (1f - p);
        return (int)Math.Round(SilenceDurationMs + (doubt * (MaxWaitMs - SilenceDurationMs)));
    }
}

namespace MediaServer.Load;

/// <summary>One ramp step: N concurrent calls of one transport on one engine kind, measured over a window.</summary>
public sealed record StepResult(
    string Scenario,
    string Engine,
    int Calls,
    int Live,
    double CpuPerCallPercent,
    double RssPerCallMb,
    double FrameP50Ms,
    double FrameP99Ms,
    double Frames,
    double LateFrames,
    double MissedFrames,
    double TurnP50Ms,
    double TurnP99Ms,
    double Turns,
    int Answers,
    int Errors,
    long DriverLateFrames,
    string Note)
{
    /// <summary>The bar of issue #10: every call up, p99 frame delay under one frame period, no frame missed, no error.</summary>
    public bool Pass => Live >= Calls && FrameP99Ms < 20 && MissedFrames == 0 && Errors == 0 && Turns > 0;

    /// <summary>
    /// Every call still a conversation: <see cref="Pass"/>, at least as many turns answered in the window as there are
    /// calls, and a median turn (end of the user's turn to the first agent audio) under one second. The media path can
    /// keep its frames on time while recognition sheds turns it cannot reach; this bar counts what callers hear.
    /// </summary>
    public bool Conversational => Pass && Turns >= Calls && TurnP50Ms < 1000;
}

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
}

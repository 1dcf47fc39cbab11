namespace MediaServer.SipBridge.Transactions;

/// <summary>RFC 3261 §17.1.1.1 / Table 4 timer base values.</summary>
public sealed class SipTimerOptions
{
    /// <summary>T1, RTT estimate: default 500 ms (RFC 3261 §17.1.1.1).</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>T2, maximum retransmit interval for non-INVITE requests and INVITE responses: default 4 s.</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>T4, maximum time a message stays in the network: default 5 s.</summary>
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timer D for UDP: "at least 32 s" (RFC 3261 §17.1.1.2).</summary>
    public TimeSpan TimerD { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>64*T1: timers B, F, H, J (and L, M of RFC 6026).</summary>
    public TimeSpan Timeout64 => T1 * 64;
}

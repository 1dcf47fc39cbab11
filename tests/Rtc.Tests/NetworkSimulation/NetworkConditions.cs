namespace MediaServer.Rtc.Tests.NetworkSimulation;

/// <summary>What the simulated network does to a packet stream.</summary>
internal sealed record NetworkConditions
{
    /// <summary>Fixed one-way delay.</summary>
    public double BaseDelayMs { get; init; } = 30;

    /// <summary>Extra delay per packet, uniform in [0, JitterMs] (reorders whenever it exceeds the packet spacing).</summary>
    public double JitterMs { get; init; }

    /// <summary>Independent random loss probability.</summary>
    public double RandomLoss { get; init; }

    /// <summary>
    /// Bursty loss by a Gilbert-Elliott model: the chance to enter the bad state per packet; in the bad state
    /// every packet is lost and the chance to leave is <see cref="BurstExit"/> (mean burst 1/exit packets).
    /// </summary>
    public double BurstEnter { get; init; }

    public double BurstExit { get; init; } = 0.5;

    /// <summary>Probability a packet is delivered twice (the copy with its own jitter).</summary>
    public double Duplication { get; init; }

    /// <summary>Probability a packet is held back by an extra 20-60 ms (explicit reordering).</summary>
    public double Reorder { get; init; }

    /// <summary>Sender clock error in parts per million (positive: the sender runs fast).</summary>
    public double DriftPpm { get; init; }

    /// <summary>Optional time-varying jitter: returns the jitter bound (ms) at a send time, overriding <see cref="JitterMs"/>.</summary>
    public Func<double, double>? JitterAt { get; init; }

    public override string ToString() =>
        $"jitter {JitterMs} ms, loss {RandomLoss:P0} random + burst {BurstEnter:P1}, dup {Duplication:P0}, reorder {Reorder:P0}, drift {DriftPpm} ppm";
}

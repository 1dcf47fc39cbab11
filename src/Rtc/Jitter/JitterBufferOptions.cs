namespace MediaServer.Rtc.Jitter;

/// <summary>Settings of one inbound stream's jitter buffer; each default says where it comes from.</summary>
public sealed record JitterBufferOptions
{
    /// <summary>Lowest target delay: one 20 ms frame, the least that survives the phase between arrival and tick.</summary>
    public TimeSpan MinDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Highest target delay. 400 ms is where conversation breaks down (ITU-T G.114 one-way limit).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Target before anything is measured: two frames.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Share of packets the target delay should cover (0.97: about 3 % arrive too late and are concealed).</summary>
    public double Quantile { get; init; } = 0.97;

    /// <summary>
    /// Per-packet forgetting factor of the delay histogram: 0.993 forgets with a time constant of about 140
    /// packets (2.8 s at 20 ms), so the target rises within a fraction of a second and falls back within seconds.
    /// </summary>
    public double ForgetFactor { get; init; } = 0.993;

    /// <summary>Dead band around the target inside which the buffer neither speeds up nor slows down.</summary>
    public TimeSpan Hysteresis { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Packets held at most (64 × 20 ms = 1.28 s); beyond, the oldest is dropped.</summary>
    public int Capacity { get; init; } = 64;

    /// <summary>Largest payload accepted (an Ethernet MTU).</summary>
    public int MaxPayloadBytes { get; init; } = 1500;

    /// <summary>A timestamp gap longer than this is a new talk spurt (or a sender jump), played without concealing the gap.</summary>
    public TimeSpan MaxConcealedGap { get; init; } = TimeSpan.FromMilliseconds(120);

    /// <summary>After this long with nothing to play, the buffer stops concealing and waits for the next talk spurt.</summary>
    public TimeSpan MaxUnderrun { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The audio payload type; null accepts every payload type except comfort noise's.</summary>
    public int? PayloadType { get; init; }

    /// <summary>The comfort noise (RFC 3389) payload type: 13 statically, or a dynamic one from SDP.</summary>
    public int ComfortNoisePayloadType { get; init; } = 13;

    public void Validate()
    {
        if (MinDelay < TimeSpan.Zero || MaxDelay < MinDelay || InitialDelay < MinDelay || InitialDelay > MaxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialDelay), "Need 0 <= MinDelay <= InitialDelay <= MaxDelay.");
        }

        if (Quantile is <= 0.5 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Quantile), Quantile, "Between 0.5 and 1.");
        }

        if (ForgetFactor is <= 0.9 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ForgetFactor), ForgetFactor, "Between 0.9 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 4, nameof(Capacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPayloadBytes, 160, nameof(MaxPayloadBytes));
    }
}

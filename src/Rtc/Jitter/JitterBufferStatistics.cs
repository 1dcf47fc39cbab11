namespace MediaServer.Rtc.Jitter;

/// <summary>A snapshot of one stream's jitter buffer counters and delays.</summary>
public readonly record struct JitterBufferStatistics
{
    /// <summary>Buffering delay added over the fastest packets' transit (filtered estimate).</summary>
    public TimeSpan CurrentDelay { get; init; }

    /// <summary>Where the buffer is steering <see cref="CurrentDelay"/> to.</summary>
    public TimeSpan TargetDelay { get; init; }

    /// <summary>The measured jitter quantile the target is built on.</summary>
    public TimeSpan JitterQuantile { get; init; }

    public long PacketsReceived { get; init; }

    /// <summary>Packets that came after their play-out time.</summary>
    public long LatePackets { get; init; }

    public long DuplicatePackets { get; init; }

    /// <summary>Packets dropped because the buffer was full.</summary>
    public long OverflowPackets { get; init; }

    /// <summary>Packets of another payload type, empty or oversized.</summary>
    public long RejectedPackets { get; init; }

    public long FramesPlayed { get; init; }

    /// <summary>Frames decoded from a packet that was there in time.</summary>
    public long FramesDecoded { get; init; }

    /// <summary>Frames made up by the decoder's packet loss concealment.</summary>
    public long FramesConcealed { get; init; }

    /// <summary>Lost frames rebuilt from the next packet's forward error correction.</summary>
    public long FramesRecoveredByFec { get; init; }

    /// <summary>Frames of RFC 3389 comfort noise.</summary>
    public long FramesComfortNoise { get; init; }

    /// <summary>Frames of silence while waiting for the first packet or a new talk spurt.</summary>
    public long FramesSilent { get; init; }

    /// <summary>Times the buffer ran dry with no later packet to go on (delay grows by a frame each).</summary>
    public long Underruns { get; init; }

    /// <summary>Samples removed by time compression (speeding up to shed delay or drift).</summary>
    public long SamplesCompressed { get; init; }

    /// <summary>Samples inserted by time expansion (slowing down to build delay or absorb drift).</summary>
    public long SamplesExpanded { get; init; }

    /// <summary>Jumps over a long timestamp gap (new talk spurt, sender restart).</summary>
    public long Resyncs { get; init; }
}

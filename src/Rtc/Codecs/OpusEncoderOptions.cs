namespace MediaServer.Rtc.Codecs;

/// <summary>Opus encoder settings (RFC 7587, RFC 6716). Defaults suit one voice over a lossy network.</summary>
public sealed record OpusEncoderOptions
{
    /// <summary>Input rate: 8, 12, 16, 24 or 48 kHz. The RTP clock stays 48 kHz (RFC 7587 section 4.1).</summary>
    public int SampleRate { get; init; } = 48000;

    /// <summary>1 or 2.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Target bits per second. 32 kb/s is transparent wideband speech with room for FEC.</summary>
    public int Bitrate { get; init; } = 32000;

    /// <summary>0..10; 5 trades a little quality for about half the CPU of 10 (hundreds of calls per box).</summary>
    public int Complexity { get; init; } = 5;

    /// <summary>In-band FEC (LBRR), RFC 7587 section 3.2; costs bits only when loss is expected.</summary>
    public bool InbandFec { get; init; } = true;

    /// <summary>Expected loss, 0..100: drives how much FEC the encoder spends.</summary>
    public int PacketLossPercent { get; init; } = 10;

    /// <summary>Discontinuous transmission: tiny packets during silence (RFC 7587 section 3.1.3).</summary>
    public bool Dtx { get; init; }

    /// <summary>Voice (SILK-leaning) when true, general audio otherwise.</summary>
    public bool Voip { get; init; } = true;

    /// <summary>Validates ranges; throws <see cref="ArgumentOutOfRangeException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (SampleRate is not (8000 or 12000 or 16000 or 24000 or 48000))
        {
            throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "Opus takes 8, 12, 16, 24 or 48 kHz.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Channels, 1, nameof(Channels));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Channels, 2, nameof(Channels));
        ArgumentOutOfRangeException.ThrowIfLessThan(Bitrate, 6000, nameof(Bitrate));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Bitrate, 510000, nameof(Bitrate));
        ArgumentOutOfRangeException.ThrowIfNegative(Complexity, nameof(Complexity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Complexity, 10, nameof(Complexity));
        ArgumentOutOfRangeException.ThrowIfNegative(PacketLossPercent, nameof(PacketLossPercent));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PacketLossPercent, 100, nameof(PacketLossPercent));
    }
}

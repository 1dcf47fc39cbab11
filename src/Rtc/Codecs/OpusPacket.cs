namespace MediaServer.Rtc.Codecs;

/// <summary>
/// Reads the table-of-contents byte of an Opus packet (RFC 6716 section 3.1) without decoding it: configuration,
/// stereo flag, frame count, duration, and whether the SILK layer carries LBRR (in-band FEC) data.
/// </summary>
public static class OpusPacket
{
    /// <summary>Samples per frame at 48 kHz for each TOC configuration (RFC 6716 Table 2).</summary>
    private static ReadOnlySpan<short> FrameSamples48k =>
    [
        480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880, // SILK NB/MB/WB
        480, 960, 480, 960,                                               // Hybrid SWB/FB
        120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, // CELT
    ];

    /// <summary>Duration of the packet in 48 kHz samples, or -1 when it is malformed.</summary>
    public static int GetSamples48k(ReadOnlySpan<byte> packet)
    {
        int frames = GetFrameCount(packet);
        return frames < 0 ? -1 : frames * FrameSamples48k[packet[0] >> 3];
    }

    /// <summary>Number of frames (code 0..3 of section 3.2), or -1 when malformed.</summary>
    public static int GetFrameCount(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return -1;
        }

        return (packet[0] & 3) switch
        {
            0 => 1,
            1 or 2 => 2,
            _ => packet.Length < 2 ? -1 : packet[1] & 0x3F,
        };
    }

    /// <summary>True when the TOC says stereo.</summary>
    public static bool IsStereo(ReadOnlySpan<byte> packet) => !packet.IsEmpty && (packet[0] & 0x04) != 0;

    /// <summary>
    /// True when the first frame's SILK layer announces LBRR data, which lets a decoder rebuild the previous frame.
    /// The VAD and LBRR flags are the first symbols of the range coder, each with probability one half, so they
    /// are the top bits of the frame's first byte (RFC 6716 section 4.2.3). Only single-frame (code 0) packets of
    /// SILK or hybrid mode are inspected; anything else answers false.
    /// </summary>
    public static bool HasLbrr(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 2 || (packet[0] & 3) != 0)
        {
            return false;
        }

        int config = packet[0] >> 3;
        if (config >= 16)
        {
            return false; // CELT only: no SILK layer
        }

        int silkFrames = config < 12 ? Math.Max(1, FrameSamples48k[config] / 960) : 1;
        byte first = packet[1];

        // Mono: VAD flags for each SILK frame, then the LBRR flag.
        bool lbrr = ((first >> (7 - silkFrames)) & 1) != 0;
        if (IsStereo(packet))
        {
            // Side channel flags follow the mid channel's.
            lbrr |= ((first >> (7 - (2 * silkFrames) - 1)) & 1) != 0;
        }

        return lbrr;
    }
}

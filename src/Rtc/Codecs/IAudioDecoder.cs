namespace MediaServer.Rtc.Codecs;

/// <summary>
/// Decodes RTP payloads to 16-bit PCM and conceals the frames that never came. The jitter buffer drives it:
/// <see cref="Decode"/> for a packet in hand, <see cref="DecodeFec"/> when the packet after a gap is in hand and the
/// codec carries in-band redundancy (Opus LBRR, RFC 7587 section 3.2), <see cref="Conceal"/> otherwise. Not thread
/// safe; no allocation per call.
/// </summary>
public interface IAudioDecoder : IDisposable
{
    string Name { get; }

    /// <summary>PCM sample rate produced.</summary>
    int SampleRate { get; }

    /// <summary>Channels produced (interleaved).</summary>
    int Channels { get; }

    /// <summary>True when <see cref="DecodeFec"/> can rebuild a lost frame from the next packet.</summary>
    bool SupportsFec { get; }

    /// <summary>Decodes a payload; returns samples per channel written, or a negative value for a bad payload.</summary>
    int Decode(ReadOnlySpan<byte> payload, Span<short> pcm);

    /// <summary>
    /// Produces <paramref name="samples"/> samples per channel standing in for a lost frame (packet loss
    /// concealment), continuing the signal smoothly and fading it out over a long gap. Returns samples written.
    /// </summary>
    int Conceal(Span<short> pcm, int samples);

    /// <summary>
    /// Rebuilds the lost frame that precedes <paramref name="nextPayload"/> from that payload's forward error
    /// correction data; falls back to concealment when it carries none. Returns samples per channel written.
    /// </summary>
    int DecodeFec(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samples);

    /// <summary>Forgets the decoder state.</summary>
    void Reset();
}

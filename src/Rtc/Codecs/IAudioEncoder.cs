namespace MediaServer.Rtc.Codecs;

/// <summary>
/// Encodes one frame of 16-bit PCM (interleaved when stereo) into one RTP payload. Implementations keep all
/// state preallocated; <see cref="Encode"/> does not allocate. Not thread safe: one encoder per outbound stream.
/// </summary>
public interface IAudioEncoder : IDisposable
{
    /// <summary>Codec and implementation name for logs and benchmarks (for example <c>opus/concentus</c>).</summary>
    string Name { get; }

    /// <summary>PCM sample rate the encoder takes.</summary>
    int SampleRate { get; }

    int Channels { get; }

    /// <summary>RTP clock rate of the payload (48000 for Opus whatever the input rate, RFC 7587 section 4.1).</summary>
    int RtpClockRate { get; }

    /// <summary>
    /// Encodes <paramref name="pcm"/> (samples per channel × channels, a frame size the codec supports, 20 ms by
    /// default) into <paramref name="payload"/>; returns payload bytes. With DTX a codec may return a 1-2 byte
    /// packet that the sender may skip (RFC 7587 section 3.1.3).
    /// </summary>
    int Encode(ReadOnlySpan<short> pcm, Span<byte> payload);

    /// <summary>Forgets the signal history (new talk spurt after a discontinuity).</summary>
    void Reset();
}

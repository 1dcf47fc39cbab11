using Concentus;
using ConcentusDecoder = Concentus.Structs.OpusDecoder;

namespace MediaServer.Rtc.Codecs;

/// <summary>Opus decoding, PLC and FEC through Concentus's managed code.</summary>
public sealed class ConcentusOpusDecoder : IAudioDecoder
{
    private readonly ConcentusDecoder _decoder;

    /// <param name="sampleRate">Output rate (8, 12, 16, 24 or 48 kHz): Opus decodes straight to it.</param>
    /// <param name="channels">1 or 2; a mono or stereo packet is mixed or duplicated to this.</param>
    public ConcentusOpusDecoder(int sampleRate = 48000, int channels = 1)
    {
        SampleRate = sampleRate;
        Channels = channels;
        // Deliberately the managed constructor: the factory would silently switch to native libopus, and we want
        // Concentus itself here so that the two implementations stay selectable and comparable.
#pragma warning disable CS0618
        _decoder = new ConcentusDecoder(sampleRate, channels);
#pragma warning restore CS0618
    }

    public string Name => "opus/concentus";

    public int SampleRate { get; }

    public int Channels { get; }

    public bool SupportsFec => true;

    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (payload.IsEmpty)
        {
            return -1;
        }

        try
        {
            return _decoder.Decode(payload, pcm, pcm.Length / Channels, false);
        }
        catch (OpusException)
        {
            return -1;
        }
        catch (IndexOutOfRangeException)
        {
            // Concentus can index past a corrupt packet's end rather than return OPUS_INVALID_PACKET.
            return -1;
        }
    }

    public int Conceal(Span<short> pcm, int samples)
    {
        try
        {
            return _decoder.Decode(ReadOnlySpan<byte>.Empty, pcm[..(samples * Channels)], samples, false);
        }
        catch (OpusException)
        {
            pcm[..(samples * Channels)].Clear();
            return samples;
        }
    }

    public int DecodeFec(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samples)
    {
        if (nextPayload.IsEmpty)
        {
            return Conceal(pcm, samples);
        }

        try
        {
            return _decoder.Decode(nextPayload, pcm[..(samples * Channels)], samples, true);
        }
        catch (Exception ex) when (ex is OpusException or IndexOutOfRangeException)
        {
            return Conceal(pcm, samples);
        }
    }

    public void Reset() => _decoder.ResetState();

    public void Dispose() => _decoder.Dispose();
}

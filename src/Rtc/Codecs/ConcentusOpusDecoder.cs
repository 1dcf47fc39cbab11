using Concentus;
using ConcentusDecoder = Concentus.Structs.OpusDecoder;

namespace MediaServer.Rtc.Codecs;

/// <summary>
/// Opus decoding, PLC and FEC through Concentus's managed code. Concentus 2.2 decodes hybrid and CELT packets to
/// silence when asked for less than 48 kHz (SILK-only packets are fine), so this wrapper always decodes at 48 kHz
/// and decimates to the requested rate itself.
/// </summary>
public sealed class ConcentusOpusDecoder : IAudioDecoder
{
    private const int MaxFrames48k = 5760;

    private readonly ConcentusDecoder _decoder;
    private readonly Decimator? _decimator;
    private readonly short[] _full = [];

    /// <param name="sampleRate">Output rate (8, 12, 16, 24 or 48 kHz): Opus decodes straight to it.</param>
    /// <param name="channels">1 or 2; a mono or stereo packet is mixed or duplicated to this.</param>
    public ConcentusOpusDecoder(int sampleRate = 48000, int channels = 1)
    {
        if (48000 % sampleRate != 0 || sampleRate < 8000)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "8, 12, 16, 24 or 48 kHz.");
        }

        SampleRate = sampleRate;
        Channels = channels;
        if (sampleRate != 48000)
        {
            _decimator = new Decimator(48000 / sampleRate, channels, MaxFrames48k);
            _full = new short[MaxFrames48k * channels];
        }

        // Deliberately the managed constructor: the factory would silently switch to native libopus, and we want
        // Concentus itself here so that the two implementations stay selectable and comparable.
#pragma warning disable CS0618
        _decoder = new ConcentusDecoder(48000, channels);
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
            return Run(payload, pcm, pcm.Length / Channels, fec: false);
        }
        catch (Exception ex) when (ex is OpusException or IndexOutOfRangeException or ArgumentException)
        {
            // Concentus can index past a corrupt packet's end rather than return OPUS_INVALID_PACKET.
            return -1;
        }
    }

    public int Conceal(Span<short> pcm, int samples)
    {
        try
        {
            return Run(ReadOnlySpan<byte>.Empty, pcm, samples, fec: false);
        }
        catch (Exception ex) when (ex is OpusException or IndexOutOfRangeException or ArgumentException)
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
            return Run(nextPayload, pcm, samples, fec: true);
        }
        catch (Exception ex) when (ex is OpusException or IndexOutOfRangeException or ArgumentException)
        {
            return Conceal(pcm, samples);
        }
    }

    private int Run(ReadOnlySpan<byte> payload, Span<short> pcm, int frames, bool fec)
    {
        if (_decimator is null)
        {
            return _decoder.Decode(payload, pcm[..(frames * Channels)], frames, fec);
        }

        int factor = 48000 / SampleRate;
        int fullFrames = Math.Min(frames * factor, MaxFrames48k);
        int n = _decoder.Decode(payload, _full.AsSpan(0, fullFrames * Channels), fullFrames, fec);
        if (n <= 0)
        {
            return n;
        }

        return _decimator.Process(_full.AsSpan(0, n * Channels), pcm);
    }

    public void Reset()
    {
        _decoder.ResetState();
        _decimator?.Reset();
    }

    public void Dispose() => _decoder.Dispose();
}

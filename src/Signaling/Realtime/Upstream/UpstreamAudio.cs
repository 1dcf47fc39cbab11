using MediaServer.Pipeline.Audio;
using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>
/// The upstream's audio format (always <c>audio/pcm</c>, 16-bit little-endian mono at 24 kHz, the only PCM rate the
/// GA protocol has) and conversions between it and our clients' formats. One instance per direction and session:
/// the resampler keeps its history between chunks and the buffers are reused.
/// </summary>
internal sealed class UpstreamAudio
{
    public const int Rate = 24_000;

    private IResampler? _resampler;
    private short[] _decoded = new short[4096];
    private short[] _converted = new short[4096];

    /// <summary>Decodes wire bytes in <paramref name="format"/> to PCM at the format's rate (valid until the next call).</summary>
    public ReadOnlySpan<short> Decode(ReadOnlySpan<byte> audio, RealtimeAudioFormat format)
    {
        Ensure(ref _decoded, audio.Length / format.BytesPerSample);
        return _decoded.AsSpan(0, format.Decode(audio, _decoded));
    }

    /// <summary>Converts PCM from <paramref name="fromRate"/> to <paramref name="toRate"/> (valid until the next call).</summary>
    public ReadOnlySpan<short> Convert(ReadOnlySpan<short> pcm, int fromRate, int toRate)
    {
        if (_resampler is null || _resampler.InputRate != fromRate || _resampler.OutputRate != toRate)
        {
            _resampler = Resampler.Create(fromRate, toRate);
        }

        Ensure(ref _converted, _resampler.MaxOutputSamples(pcm.Length));
        return _converted.AsSpan(0, _resampler.Process(pcm, _converted));
    }

    /// <summary>Encodes PCM at the format's rate into the format's wire bytes.</summary>
    public static byte[] Encode(ReadOnlySpan<short> pcm, RealtimeAudioFormat format)
    {
        var wire = new byte[pcm.Length * format.BytesPerSample];
        format.Encode(pcm, wire);
        return wire;
    }

    private static void Ensure(ref short[] array, int length)
    {
        if (array.Length < length)
        {
            array = new short[Math.Max(length, array.Length * 2)];
        }
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MediaServer.Pipeline.Audio;

/// <summary>
/// Conversions and measurements for 16-bit linear PCM, the pipeline's internal sample format. Wire formats
/// (OpenAI <c>audio/pcm</c>, RTP L16 after byte swap, WAV data chunks) are little-endian, so byte helpers read and
/// write little-endian whatever the host order. None of these methods allocate.
/// </summary>
public static class Pcm16
{
    /// <summary>The level reported for digital silence; keeps arithmetic on dBFS values finite.</summary>
    public const double SilenceDbfs = -100.0;

    private const float ShortToFloat = 1f / 32768f;

    /// <summary>
    /// Reads little-endian 16-bit samples from <paramref name="source"/> into <paramref name="destination"/>.
    /// A trailing odd byte is ignored. Returns the number of samples written.
    /// </summary>
    public static int ToShorts(ReadOnlySpan<byte> source, Span<short> destination)
    {
        int count = source.Length / 2;
        if (destination.Length < count)
        {
            throw new ArgumentException("Destination is shorter than the source's sample count.", nameof(destination));
        }

        ReadOnlySpan<short> raw = MemoryMarshal.Cast<byte, short>(source[..(count * 2)]);
        if (BitConverter.IsLittleEndian)
        {
            raw.CopyTo(destination);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(raw, destination[..count]);
        }

        return count;
    }

    /// <summary>Writes <paramref name="source"/> as little-endian bytes. Returns the number of bytes written.</summary>
    public static int ToBytes(ReadOnlySpan<short> source, Span<byte> destination)
    {
        int bytes = source.Length * 2;
        if (destination.Length < bytes)
        {
            throw new ArgumentException("Destination is shorter than twice the sample count.", nameof(destination));
        }

        Span<short> raw = MemoryMarshal.Cast<byte, short>(destination[..bytes]);
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(raw);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(source, raw);
        }

        return bytes;
    }

    /// <summary>Scales samples to floats in [-1, 1) (divides by 32768).</summary>
    public static void ToFloat(ReadOnlySpan<short> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("Destination is shorter than the source.", nameof(destination));
        }

        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] * ShortToFloat;
        }
    }

    /// <summary>Scales floats in [-1, 1] to samples, rounding to nearest and saturating out-of-range values.</summary>
    public static void FromFloat(ReadOnlySpan<float> source, Span<short> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("Destination is shorter than the source.", nameof(destination));
        }

        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = Saturate(source[i] * 32768f);
        }
    }

    /// <summary>Rounds a value on the 16-bit scale to the nearest sample, clamping to the representable range.</summary>
    public static short Saturate(float value)
    {
        float rounded = MathF.Round(value);
        if (rounded >= short.MaxValue)
        {
            return short.MaxValue;
        }

        if (rounded <= short.MinValue)
        {
            return short.MinValue;
        }

        // NaN falls through both comparisons; treat it as silence rather than an undefined cast.
        return float.IsNaN(rounded) ? (short)0 : (short)rounded;
    }

    /// <summary>
    /// Root mean square of <paramref name="samples"/> relative to full scale (a full-scale square wave is 1.0, a
    /// full-scale sine 0.707). Returns 0 for an empty span.
    /// </summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        // Sum of squares of 16-bit values fits a long for any span shorter than 2^33 samples.
        long sum = 0;
        foreach (short s in samples)
        {
            sum += s * s;
        }

        return Math.Sqrt((double)sum / samples.Length) / 32768.0;
    }

    /// <summary>
    /// RMS level in dB relative to full scale (full-scale square wave = 0 dBFS, full-scale sine = -3.01 dBFS),
    /// floored at <see cref="SilenceDbfs"/>.
    /// </summary>
    public static double Dbfs(ReadOnlySpan<short> samples) => RmsToDbfs(Rms(samples));

    /// <summary>Converts an RMS relative to full scale into dBFS, floored at <see cref="SilenceDbfs"/>.</summary>
    public static double RmsToDbfs(double rms)
    {
        if (rms <= 0)
        {
            return SilenceDbfs;
        }

        return Math.Max(SilenceDbfs, 20.0 * Math.Log10(rms));
    }
}

namespace MediaServer.Pipeline.Audio;

/// <summary>Creates sample-rate converters for the pipeline's rates (8, 16, 22.05, 24 and 48 kHz, or any pair whose
/// reduced ratio stays small).</summary>
public static class Resampler
{
    /// <summary>The largest reduced interpolation or decimation factor accepted (22.05 kHz to 16 kHz is 320/441).</summary>
    public const int MaxRatioTerm = 1000;

    /// <summary>
    /// A new converter with its own stream state: a windowed-sinc polyphase filter, or a copy when the rates are equal.
    /// The filter coefficients are shared between converters of the same rate pair.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive, or the reduced ratio is too large.</exception>
    public static IResampler Create(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        if (inputRate == outputRate)
        {
            return new PassthroughResampler(inputRate);
        }

        int gcd = PolyphaseFilterBank.Gcd(inputRate, outputRate);
        if (inputRate / gcd > MaxRatioTerm || outputRate / gcd > MaxRatioTerm)
        {
            throw new ArgumentOutOfRangeException(
                nameof(outputRate), $"The ratio {outputRate}/{inputRate} reduces to terms above {MaxRatioTerm}.");
        }

        return new PolyphaseResampler(PolyphaseFilterBank.Get(inputRate, outputRate), inputRate, outputRate);
    }
}

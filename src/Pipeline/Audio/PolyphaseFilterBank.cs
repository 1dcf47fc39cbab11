using System.Collections.Concurrent;

namespace MediaServer.Pipeline.Audio;

/// <summary>
/// The coefficients of a rational L/M sample-rate converter: one windowed-sinc low-pass prototype split into
/// L phases of K taps (the classic polyphase decomposition; Crochiere and Rabiner, "Multirate Digital Signal
/// Processing", 1983, ch. 4). Immutable and shared by every stream with the same rate pair.
/// </summary>
/// <remarks>
/// Design (Kaiser's empirical formulas, Oppenheim and Schafer, "Discrete-Time Signal Processing", 3rd ed., §7.6):
/// the passband reaches <see cref="PassbandFraction"/> of the lower Nyquist frequency and the stopband begins exactly
/// at the lower Nyquist frequency, so nothing above it folds back (downsampling) and no image survives
/// (upsampling) beyond the <see cref="StopbandAttenuationDb"/> floor. At 8 kHz the passband reaches 3.4 kHz,
/// the telephone band; at 16 kHz, 6.8 kHz.
/// </remarks>
internal sealed class PolyphaseFilterBank
{
    /// <summary>Passband edge as a fraction of the lower of the two Nyquist frequencies.</summary>
    public const double PassbandFraction = 0.85;

    /// <summary>Design attenuation of the stopband; 80 dB sits well below the noise of 16-bit speech.</summary>
    public const double StopbandAttenuationDb = 80.0;

    /// <summary>Tap counts are rounded up to a multiple of this (zero taps on the oldest side), so the dot product
    /// runs in whole 256- and 512-bit vectors.</summary>
    public const int TapAlignment = 16;

    private static readonly ConcurrentDictionary<(int, int), PolyphaseFilterBank> Cache = new();

    private PolyphaseFilterBank(int inputRate, int outputRate)
    {
        int gcd = Gcd(inputRate, outputRate);
        Interpolation = outputRate / gcd;
        Decimation = inputRate / gcd;

        double lowNyquist = Math.Min(inputRate, outputRate) / 2.0;
        double transitionHz = lowNyquist * (1.0 - PassbandFraction);
        double cutoffHz = lowNyquist * (1.0 + PassbandFraction) / 2.0;

        // Kaiser: taps = (A - 7.95) / (2.285 * transition width in radians per input sample), plus one.
        double transitionRadians = 2.0 * Math.PI * transitionHz / inputRate;
        int designTaps = (int)Math.Ceiling((StopbandAttenuationDb - 7.95) / (2.285 * transitionRadians)) + 1;
        Taps = (designTaps + TapAlignment - 1) / TapAlignment * TapAlignment;
        double beta = 0.1102 * (StopbandAttenuationDb - 8.7);

        DelayInputSamples = (designTaps - 1) / 2.0;
        Coefficients = new float[Interpolation * Taps];

        double normalizedCutoff = 2.0 * cutoffHz / inputRate; // 1.0 = input Nyquist
        double halfSpan = (designTaps + 1) / 2.0;
        double i0Beta = BesselI0(beta);
        var phase = new double[designTaps];
        for (int p = 0; p < Interpolation; p++)
        {
            // Output sample at input position (i + p/L - D) is sum over k of x[i - k] * g(p/L + k - D).
            double fraction = (double)p / Interpolation;
            double sum = 0;
            for (int k = 0; k < designTaps; k++)
            {
                double tau = fraction + k - DelayInputSamples;
                double ratio = tau / halfSpan;
                double window = BesselI0(beta * Math.Sqrt(Math.Max(0.0, 1.0 - (ratio * ratio)))) / i0Beta;
                double value = normalizedCutoff * Sinc(normalizedCutoff * tau) * window;
                phase[k] = value;
                sum += value;
            }

            // Each phase gets unity DC gain so the sub-sample position never modulates the level.
            // Stored reversed: coefficient j multiplies x[i - K + 1 + j], so the dot product walks memory forwards.
            int offset = p * Taps;
            for (int k = 0; k < designTaps; k++)
            {
                Coefficients[offset + (Taps - 1 - k)] = (float)(phase[k] / sum);
            }
        }
    }

    /// <summary>L: the output rate divided by the common divisor.</summary>
    public int Interpolation { get; }

    /// <summary>M: the input rate divided by the common divisor.</summary>
    public int Decimation { get; }

    /// <summary>K: taps per phase, i.e. input samples read per output sample (the design's count, padded).</summary>
    public int Taps { get; }

    /// <summary>Group delay of the linear-phase filter, in input samples.</summary>
    public double DelayInputSamples { get; }

    /// <summary>Phase-major, L blocks of K taps, each block reversed in time.</summary>
    public float[] Coefficients { get; }

    /// <summary>Gets the shared bank for a rate pair, designing it on first use.</summary>
    public static PolyphaseFilterBank Get(int inputRate, int outputRate) =>
        Cache.GetOrAdd((inputRate, outputRate), static key => new PolyphaseFilterBank(key.Item1, key.Item2));

    internal static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private static double Sinc(double x)
    {
        if (Math.Abs(x) < 1e-12)
        {
            return 1.0;
        }

        double px = Math.PI * x;
        return Math.Sin(px) / px;
    }

    /// <summary>Modified Bessel function of the first kind, order zero, by its power series.</summary>
    private static double BesselI0(double x)
    {
        double sum = 1.0;
        double term = 1.0;
        double halfX = x / 2.0;
        for (int k = 1; k < 64; k++)
        {
            term *= halfX / k;
            double square = term * term;
            sum += square;
            if (square < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}

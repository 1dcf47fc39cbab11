using System.Numerics;

namespace MediaServer.Pipeline.Profile;

/// <summary>
/// F0 of one analysis window by YIN (de Cheveigné and Kawahara, JASA 111(4), 2002): the squared-difference
/// function, its cumulative-mean normalisation (step 3), the absolute threshold (step 4) and parabolic
/// interpolation (step 5). Works on a 40 ms window at 16 kHz so lags down to 60 Hz fit; preallocated, no allocation
/// per call.
/// </summary>
internal sealed class YinPitchEstimator
{
    /// <summary>Lowest F0 searched (deep male voices reach ~65 Hz).</summary>
    public const double MinF0Hz = 60;

    /// <summary>Highest F0 searched (children and raised female voices stay under ~500 Hz).</summary>
    public const double MaxF0Hz = 500;

    /// <summary>YIN's step-4 threshold; the paper uses 0.1–0.15, we accept a little more aperiodicity for
    /// telephone-band and synthetic speech, and call a frame unvoiced when the best dip stays above
    /// <see cref="VoicedThreshold"/>.</summary>
    private const float AbsoluteThreshold = 0.15f;

    /// <summary>Best normalised dip above this means no periodicity: unvoiced (or whispered) frame.</summary>
    public const float VoicedThreshold = 0.35f;

    private readonly int _sampleRate;
    private readonly int _minLag;
    private readonly int _maxLag;
    private readonly int _integration;
    private readonly float[] _diff;

    public YinPitchEstimator(int sampleRate, int windowLength)
    {
        _sampleRate = sampleRate;
        _minLag = (int)Math.Floor(sampleRate / MaxF0Hz);
        _maxLag = (int)Math.Ceiling(sampleRate / MinF0Hz);
        _integration = windowLength - _maxLag - 1;
        if (_integration < _maxLag / 2) throw new ArgumentOutOfRangeException(nameof(windowLength), "window too short for the lowest F0");
        _diff = new float[_maxLag + 2];
    }

    /// <summary>Samples the estimator needs per call.</summary>
    public int WindowLength => _integration + _maxLag + 1;

    /// <summary>Estimates F0 in <paramref name="window"/> (length <see cref="WindowLength"/>).</summary>
    /// <returns>F0 in Hz, or 0 when the window is not periodic enough; <paramref name="aperiodicity"/> is the
    /// best normalised dip (0 = perfectly periodic, ≥1 = noise).</returns>
    public double Estimate(ReadOnlySpan<float> window, out float aperiodicity)
    {
        aperiodicity = 1;
        if (window.Length < WindowLength) return 0;

        var n = _integration;
        var x0 = window[..n];
        _diff[0] = 1;
        double running = 0;
        var bestLag = -1;
        var bestValue = float.MaxValue;
        for (var tau = 1; tau <= _maxLag + 1; tau++)
        {
            var d = SquaredDifference(x0, window.Slice(tau, n));
            running += d;
            var normalised = running > 0 ? (float)(d * tau / running) : 1f;
            _diff[tau] = normalised;
        }

        // Step 4: the first lag under the threshold, followed down to its local minimum; else the global minimum.
        for (var tau = _minLag; tau <= _maxLag; tau++)
        {
            if (_diff[tau] < AbsoluteThreshold)
            {
                while (tau + 1 <= _maxLag && _diff[tau + 1] < _diff[tau]) tau++;
                bestLag = tau;
                bestValue = _diff[tau];
                break;
            }
        }

        if (bestLag < 0)
        {
            for (var tau = _minLag; tau <= _maxLag; tau++)
            {
                if (_diff[tau] < bestValue)
                {
                    bestValue = _diff[tau];
                    bestLag = tau;
                }
            }
        }

        aperiodicity = bestValue;
        if (bestLag < 0 || bestValue > VoicedThreshold) return 0;

        // Step 5: parabolic interpolation around the chosen lag.
        double lag = bestLag;
        if (bestLag > 1 && bestLag <= _maxLag)
        {
            double a = _diff[bestLag - 1], b = _diff[bestLag], c = _diff[bestLag + 1];
            var denominator = a - 2 * b + c;
            if (denominator > 1e-9) lag += 0.5 * (a - c) / denominator;
        }

        return _sampleRate / lag;
    }

    private static float SquaredDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        var width = Vector<float>.Count;
        for (; i <= a.Length - width; i += width)
        {
            var d = new Vector<float>(a[i..]) - new Vector<float>(b[i..]);
            sum += d * d;
        }

        var total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            total += d * d;
        }

        return total;
    }
}

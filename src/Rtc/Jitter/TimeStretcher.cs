namespace MediaServer.Rtc.Jitter;

/// <summary>
/// Shortens or lengthens decoded audio by one pitch period, the way a jitter buffer sheds or builds delay and
/// absorbs clock drift without audible artefacts (the principle of WSOLA and NetEq's accelerate and pre-emptive
/// expand). The period is found by normalised correlation, first on a coarse grid then refined; the two periods
/// are cross-faded so the waveform stays continuous. Works in place on interleaved samples; no allocation.
/// </summary>
internal static class TimeStretcher
{
    private const double MinPeriodMs = 2.5;
    private const double MaxPeriodMs = 15;
    private const double MinCorrelation = 0.6;
    private const double SilenceRms = 300;

    /// <summary>
    /// Removes one pitch period from the start of <paramref name="buffer"/>[0..count), cross-fading it into the
    /// next. Returns the number of samples per channel removed (0 when the signal is not periodic enough).
    /// </summary>
    public static int Compress(Span<short> buffer, int count, int channels, int sampleRate)
    {
        int frames = count / channels;
        int period = FindPeriod(buffer, frames, channels, sampleRate, frames / 2);
        if (period == 0)
        {
            return 0;
        }

        for (int i = 0; i < period; i++)
        {
            float w = (i + 1) / (float)(period + 1);
            for (int c = 0; c < channels; c++)
            {
                int a = (i * channels) + c;
                int b = ((i + period) * channels) + c;
                buffer[a] = (short)Math.Clamp(((1 - w) * buffer[a]) + (w * buffer[b]), short.MinValue, short.MaxValue);
            }
        }

        // Close the gap: [0, P) now holds the blend; drop [P, 2P).
        buffer.Slice(2 * period * channels, (frames - (2 * period)) * channels).CopyTo(buffer[(period * channels)..]);
        return period;
    }

    /// <summary>
    /// Inserts one pitch period after the first one of <paramref name="buffer"/>[0..count); the buffer must have
    /// room for the longest period. Returns samples per channel inserted (0 when not periodic enough).
    /// </summary>
    public static int Expand(Span<short> buffer, int count, int channels, int sampleRate)
    {
        int frames = count / channels;
        int room = (buffer.Length / channels) - frames;
        int period = FindPeriod(buffer, frames, channels, sampleRate, Math.Min(frames / 2, room));
        if (period == 0)
        {
            return 0;
        }

        // Make room: [P, end) moves up by P, leaving [P, 2P) to fill with a blend that runs from x[P..] back to
        // x[0..], so that x[P..] can follow it again.
        buffer.Slice(period * channels, (frames - period) * channels).CopyTo(buffer[(2 * period * channels)..]);
        for (int i = 0; i < period; i++)
        {
            float w = (i + 1) / (float)(period + 1);
            for (int c = 0; c < channels; c++)
            {
                int from = ((2 * period) + i) * channels + c; // the original x[P + i], moved
                int to = (i * channels) + c;                    // x[i]
                buffer[((period + i) * channels) + c] = (short)Math.Clamp(((1 - w) * buffer[from]) + (w * buffer[to]), short.MinValue, short.MaxValue);
            }
        }

        return period;
    }

    /// <summary>The best period in samples, or 0 when below the correlation threshold (silence takes the longest).</summary>
    internal static int FindPeriod(ReadOnlySpan<short> x, int frames, int channels, int sampleRate, int maxAllowed)
    {
        int minP = (int)(sampleRate * MinPeriodMs / 1000);
        int maxP = Math.Min((int)(sampleRate * MaxPeriodMs / 1000), maxAllowed);
        if (maxP < minP || 2 * maxP > frames)
        {
            maxP = Math.Min(maxP, frames / 2);
            if (maxP < minP)
            {
                return 0;
            }
        }

        double energy = 0;
        for (int i = 0; i < 2 * maxP; i++)
        {
            double v = x[i * channels];
            energy += v * v;
        }

        if (Math.Sqrt(energy / (2 * maxP)) < SilenceRms)
        {
            return maxP; // silence or near it: any length works, take the most
        }

        int step = Math.Max(1, sampleRate / 4000);
        int best = 0;
        double bestScore = double.NegativeInfinity;
        for (int p = minP; p <= maxP; p += step)
        {
            double score = Correlation(x, p, channels, step);
            if (score > bestScore)
            {
                bestScore = score;
                best = p;
            }
        }

        // Refine around the coarse winner at full resolution; the coarse score (on every step-th sample) is only a
        // guide and must not decide the threshold.
        int from = Math.Max(minP, best - step + 1);
        int to = Math.Min(maxP, best + step - 1);
        bestScore = double.NegativeInfinity;
        for (int p = from; p <= to; p++)
        {
            double score = Correlation(x, p, channels, 1);
            if (score > bestScore)
            {
                bestScore = score;
                best = p;
            }
        }

        return bestScore >= MinCorrelation ? best : 0;
    }

    private static double Correlation(ReadOnlySpan<short> x, int p, int channels, int stride)
    {
        double xy = 0, xx = 0, yy = 0;
        for (int i = 0; i < p; i += stride)
        {
            double a = x[i * channels];
            double b = x[(i + p) * channels];
            xy += a * b;
            xx += a * a;
            yy += b * b;
        }

        return xy / Math.Sqrt((xx * yy) + 1);
    }
}

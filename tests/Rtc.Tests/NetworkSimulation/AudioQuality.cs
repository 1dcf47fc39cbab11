namespace MediaServer.Rtc.Tests.NetworkSimulation;

/// <summary>Objective measures that compare played-out audio with the clean original.</summary>
internal static class AudioQuality
{
    /// <summary>
    /// Finds the lag (0..<paramref name="maxLag"/> samples) by which <paramref name="played"/> trails
    /// <paramref name="original"/>, by maximum cross-correlation over a stretch in the middle.
    /// </summary>
    public static int FindLag(ReadOnlySpan<short> original, ReadOnlySpan<short> played, int maxLag, int step = 1)
    {
        int length = Math.Min(original.Length, played.Length - maxLag);
        int best = 0;
        double bestValue = double.NegativeInfinity;
        for (int lag = 0; lag <= maxLag; lag += step)
        {
            double sum = 0;
            for (int i = 0; i < length; i += 4)
            {
                sum += (double)original[i] * played[i + lag];
            }

            if (sum > bestValue)
            {
                bestValue = sum;
                best = lag;
            }
        }

        if (step > 1)
        {
            int from = Math.Max(0, best - step);
            int to = Math.Min(maxLag, best + step);
            return from + FindLag(original, played[from..], to - from, 1);
        }

        return best;
    }

    /// <summary>Pearson correlation of two equally long signals.</summary>
    public static double Correlation(ReadOnlySpan<short> a, ReadOnlySpan<short> b)
    {
        int n = Math.Min(a.Length, b.Length);
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++)
        {
            ma += a[i];
            mb += b[i];
        }

        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++)
        {
            double x = a[i] - ma, y = b[i] - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }

        return sab / Math.Sqrt((saa * sbb) + 1e-9);
    }

    /// <summary>
    /// Segmental SNR in dB over frames of <paramref name="frame"/> samples, skipping silent frames of the original
    /// and clamping each frame to [-10, 35] dB as is usual, so one bad frame cannot dominate.
    /// </summary>
    public static double SegmentalSnr(ReadOnlySpan<short> original, ReadOnlySpan<short> played, int frame)
    {
        int n = Math.Min(original.Length, played.Length);
        double total = 0;
        int count = 0;
        for (int start = 0; start + frame <= n; start += frame)
        {
            double s = 0, e = 0;
            for (int i = start; i < start + frame; i++)
            {
                double d = original[i] - played[i];
                s += (double)original[i] * original[i];
                e += d * d;
            }

            if (s / frame < 100 * 100)
            {
                continue; // silence: SNR is meaningless there
            }

            total += Math.Clamp(10 * Math.Log10(s / (e + 1e-9)), -10, 35);
            count++;
        }

        return count == 0 ? 0 : total / count;
    }

    /// <summary>
    /// Mean correlation of short-time log spectra (log-magnitude of 20 ms frames over 16 bands): a crude but
    /// phase-blind measure that fits Opus, whose output is not waveform matched.
    /// </summary>
    public static double SpectralCorrelation(ReadOnlySpan<short> original, ReadOnlySpan<short> played, int frame)
    {
        int n = Math.Min(original.Length, played.Length);
        const int bands = 16;
        var a = new double[bands];
        var b = new double[bands];
        double total = 0;
        int count = 0;
        for (int start = 0; start + frame <= n; start += frame)
        {
            double energy = 0;
            for (int i = start; i < start + frame; i++)
            {
                energy += (double)original[i] * original[i];
            }

            if (energy / frame < 100 * 100)
            {
                continue;
            }

            BandEnergies(original.Slice(start, frame), a);
            BandEnergies(played.Slice(start, frame), b);
            total += Pearson(a, b);
            count++;
        }

        return count == 0 ? 0 : total / count;
    }

    private static void BandEnergies(ReadOnlySpan<short> x, double[] bands)
    {
        // Goertzel-style DFT magnitudes on a linear grid up to 4 kHz-equivalent of the frame.
        int n = x.Length;
        for (int k = 0; k < bands.Length; k++)
        {
            double freq = (k + 1) * 0.5 / (bands.Length + 1) * 0.5; // cycles per sample, up to a quarter of the rate
            double re = 0, im = 0;
            for (int i = 0; i < n; i++)
            {
                double w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / (n - 1)));
                re += w * x[i] * Math.Cos(2 * Math.PI * freq * i);
                im -= w * x[i] * Math.Sin(2 * Math.PI * freq * i);
            }

            bands[k] = Math.Log10((re * re) + (im * im) + 1);
        }
    }

    private static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return sab / Math.Sqrt((saa * sbb) + 1e-12);
    }
}

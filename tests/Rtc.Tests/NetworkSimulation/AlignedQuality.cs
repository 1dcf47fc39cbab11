namespace MediaServer.Rtc.Tests.NetworkSimulation;

/// <summary>
/// Quality of played-out audio against the original when the jitter buffer has stretched and squeezed time:
/// the signals are compared window by window (200 ms), each window at its own best lag, found by
/// cross-correlation near the previous window's lag (time alignment drifts slowly).
/// </summary>
internal static class AlignedQuality
{
    public sealed record Report(double MeanCorrelation, double MeanSegmentalSnr, double MeanLagMs, double MaxLagMs, int Windows, double FractionBelowHalf)
    {
        public override string ToString() =>
            $"corr {MeanCorrelation:F3}, segSNR {MeanSegmentalSnr:F1} dB, lag mean {MeanLagMs:F0} ms max {MaxLagMs:F0} ms, {Windows} windows, {FractionBelowHalf:P1} below 0.5";
    }

    public static Report Measure(short[] original, short[] played, int sampleRate, double maxLagMs = 800)
    {
        int window = sampleRate / 5;
        int maxLag = (int)(sampleRate * maxLagMs / 1000);
        int coarse = Math.Max(1, sampleRate / 2000);
        int previous = -1;
        double corrSum = 0, snrSum = 0, lagSum = 0, lagMax = 0;
        int count = 0, bad = 0;
        for (int start = 0; start + window <= original.Length; start += window)
        {
            var o = original.AsSpan(start, window);
            if (Rms(o) < 300)
            {
                continue; // silence: nothing to compare
            }

            int from = previous < 0 ? 0 : Math.Max(0, previous - (sampleRate / 25));
            int to = previous < 0 ? maxLag : Math.Min(maxLag, previous + (sampleRate / 25));
            if (start + to + window > played.Length)
            {
                break;
            }

            int lag = BestLag(o, played.AsSpan(start), from, to, coarse);
            previous = lag;
            var p = played.AsSpan(start + lag, window);
            double c = AudioQuality.Correlation(o, p);
            corrSum += c;
            snrSum += AudioQuality.SegmentalSnr(o, p, sampleRate / 50);
            lagSum += lag * 1000.0 / sampleRate;
            lagMax = Math.Max(lagMax, lag * 1000.0 / sampleRate);
            bad += c < 0.5 ? 1 : 0;
            count++;
        }

        return new Report(corrSum / count, snrSum / count, lagSum / count, lagMax, count, bad / (double)count);
    }

    private static int BestLag(ReadOnlySpan<short> o, ReadOnlySpan<short> played, int from, int to, int step)
    {
        int best = from;
        double bestValue = double.NegativeInfinity;
        for (int pass = 0; pass < 2; pass++)
        {
            int s = pass == 0 ? step : 1;
            int a = pass == 0 ? from : Math.Max(from, best - step);
            int b = pass == 0 ? to : Math.Min(to, best + step);
            for (int lag = a; lag <= b; lag += s)
            {
                double sum = 0, energy = 1;
                for (int i = 0; i < o.Length; i += 2)
                {
                    double v = played[lag + i];
                    sum += o[i] * v;
                    energy += v * v;
                }

                double score = sum / Math.Sqrt(energy);
                if (score > bestValue)
                {
                    bestValue = score;
                    best = lag;
                }
            }
        }

        return best;
    }

    private static double Rms(ReadOnlySpan<short> x)
    {
        double e = 0;
        foreach (short v in x)
        {
            e += (double)v * v;
        }

        return Math.Sqrt(e / x.Length);
    }
}

namespace MediaServer.Rtc.Jitter;

/// <summary>
/// Measures how late packets arrive relative to the fastest recent one and keeps a forgetting histogram of it, in
/// the spirit of WebRTC NetEq's delay manager (written afresh). For packet i, <c>D_i = arrival_i - timestamp_i</c>
/// (both in ms); the baseline is the minimum D over the last 128 packets (a window short enough to follow ±200 ppm
/// drift, long enough to outlast jitter bursts), and <c>D_i - baseline</c> is the packet's jitter. The target delay
/// is the configured quantile of that histogram.
/// </summary>
internal sealed class JitterDelayEstimator
{
    private const int Window = 128;
    private const double BinMs = 2.5;
    private const int Bins = 400; // up to 1 s

    private readonly double[] _window = new double[Window];
    private readonly double[] _histogram = new double[Bins];
    private readonly double _forget;
    private readonly double _quantile;
    private int _count;
    private int _next;

    public JitterDelayEstimator(double forgetFactor, double quantile)
    {
        _forget = forgetFactor;
        _quantile = quantile;
    }

    /// <summary>Packets measured so far.</summary>
    public long Samples { get; private set; }

    /// <summary>The current jitter quantile in ms (0 before any measurement).</summary>
    public double QuantileMs { get; private set; }

    /// <summary>Accounts one packet; returns its jitter (D_i minus the baseline) in ms.</summary>
    public double Update(double arrivalMs, double timestampMs)
    {
        double d = arrivalMs - timestampMs;
        _window[_next] = d;
        _next = (_next + 1) % Window;
        if (_count < Window)
        {
            _count++;
        }

        double baseline = double.MaxValue;
        for (int i = 0; i < _count; i++)
        {
            baseline = Math.Min(baseline, _window[i]);
        }

        double jitter = d - baseline;
        int bin = Math.Min(Bins - 1, (int)(jitter / BinMs));

        // The first packets count fully so that the histogram is meaningful at once; later ones with weight 1-f.
        Samples++;
        double weight = Math.Max(1 - _forget, 1.0 / Samples);
        double keep = 1 - weight;
        for (int i = 0; i < Bins; i++)
        {
            _histogram[i] *= keep;
        }

        _histogram[bin] += weight;
        double cumulative = 0;
        int q = Bins - 1;
        for (int i = 0; i < Bins; i++)
        {
            cumulative += _histogram[i];
            if (cumulative >= _quantile)
            {
                q = i;
                break;
            }
        }

        QuantileMs = (q + 1) * BinMs;
        return jitter;
    }

    /// <summary>Rebases after a sender timestamp jump, keeping the learnt histogram.</summary>
    public void ResetBaseline()
    {
        _count = 0;
        _next = 0;
    }
}

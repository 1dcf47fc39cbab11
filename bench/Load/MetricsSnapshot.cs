using System.Globalization;

namespace MediaServer.Load;

/// <summary>
/// One scrape of the server's <c>/metrics</c> (Prometheus text format): samples by series, with helpers that read a
/// counter or a histogram's cumulative buckets and subtract an earlier scrape, so a step reports only its own window.
/// </summary>
public sealed class MetricsSnapshot
{
    private readonly List<(string Name, string Labels, double Value)> _samples = [];

    public static MetricsSnapshot Parse(string text)
    {
        var snapshot = new MetricsSnapshot();
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int brace = line.IndexOf('{', StringComparison.Ordinal);
            int space = line.LastIndexOf(' ');
            if (space <= 0)
            {
                continue;
            }

            // Exporters may append a timestamp after the value: take the first number after the series.
            int nameEnd = brace >= 0 ? line.IndexOf('}', StringComparison.Ordinal) + 1 : line.IndexOf(' ', StringComparison.Ordinal);
            if (nameEnd <= 0)
            {
                continue;
            }

            string name = brace >= 0 ? line[..brace] : line[..nameEnd];
            string labels = brace >= 0 ? line[(brace + 1)..(nameEnd - 1)] : string.Empty;
            string valueText = line[nameEnd..].Trim().Split(' ')[0];
            if (double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                snapshot._samples.Add((name, labels, value));
            }
            else if (valueText is "+Inf")
            {
                snapshot._samples.Add((name, labels, double.PositiveInfinity));
            }
        }

        return snapshot;
    }

    /// <summary>Sum of every series whose name starts with <paramref name="prefix"/> and ends with <paramref name="suffix"/>.</summary>
    public double Sum(string prefix, string suffix = "") =>
        _samples.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal) && s.Name.EndsWith(suffix, StringComparison.Ordinal)).Sum(s => s.Value);

    /// <summary>Cumulative bucket counts (upper bound → count) of a histogram whose name starts with <paramref name="prefix"/>.</summary>
    public SortedDictionary<double, double> Buckets(string prefix)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var (name, labels, value) in _samples)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith("_bucket", StringComparison.Ordinal))
            {
                continue;
            }

            int le = labels.IndexOf("le=\"", StringComparison.Ordinal);
            if (le < 0)
            {
                continue;
            }

            string bound = labels[(le + 4)..labels.IndexOf('"', le + 4)];
            double upper = bound == "+Inf" ? double.PositiveInfinity : double.Parse(bound, CultureInfo.InvariantCulture);
            buckets[upper] = buckets.GetValueOrDefault(upper) + value;
        }

        return buckets;
    }
}

/// <summary>A histogram's observations in one window: the difference of two scrapes' cumulative buckets.</summary>
public sealed class HistogramWindow
{
    private readonly (double Upper, double Cumulative)[] _buckets;

    public HistogramWindow(MetricsSnapshot before, MetricsSnapshot after, string prefix)
    {
        var b = before.Buckets(prefix);
        _buckets = after.Buckets(prefix).Select(kv => (kv.Key, kv.Value - b.GetValueOrDefault(kv.Key))).ToArray();
    }

    public double Count => _buckets.Length == 0 ? 0 : _buckets[^1].Cumulative;

    /// <summary>Observations above <paramref name="bound"/> (which must be a bucket bound).</summary>
    public double Above(double bound) => Count - _buckets.Where(x => x.Upper <= bound).Select(x => x.Cumulative).DefaultIfEmpty(0).Max();

    /// <summary>Quantile by linear interpolation inside the bucket that holds it (Prometheus' histogram_quantile).</summary>
    public double Quantile(double q)
    {
        if (Count <= 0)
        {
            return double.NaN;
        }

        double rank = q * Count, lower = 0, below = 0;
        foreach (var (upper, cumulative) in _buckets)
        {
            if (cumulative >= rank)
            {
                if (double.IsPositiveInfinity(upper))
                {
                    return lower;
                }

                double inBucket = cumulative - below;
                return inBucket <= 0 ? upper : lower + ((upper - lower) * (rank - below) / inBucket);
            }

            lower = upper;
            below = cumulative;
        }

        return lower;
    }
}

namespace MediaServer.Rtc.Tests.NetworkSimulation;

/// <summary>
/// A deterministic lossy, jittery, reordering, duplicating network with a drifting sender clock, in the spirit of
/// pion's vnet: it turns a list of packets sent every 20 ms (sender clock) into arrivals on the receiver's clock.
/// </summary>
internal sealed class NetworkSimulator(NetworkConditions conditions, int seed)
{
    private readonly Random _random = new(seed);

    public int Lost { get; private set; }

    public int Duplicated { get; private set; }

    public List<(double ArrivalMs, byte[] Packet)> Transmit(IReadOnlyList<byte[]> packets, double packetIntervalMs = 20)
    {
        var arrivals = new List<(double, byte[])>(packets.Count + 16);
        bool bad = false;
        double clock = 1 + (conditions.DriftPpm * 1e-6);
        for (int i = 0; i < packets.Count; i++)
        {
            // The sender's 20 ms pass in 20 / (1 + drift) of our milliseconds.
            double sendMs = i * packetIntervalMs / clock;
            bad = bad ? _random.NextDouble() >= conditions.BurstExit : _random.NextDouble() < conditions.BurstEnter;
            if (bad || _random.NextDouble() < conditions.RandomLoss)
            {
                Lost++;
                continue;
            }

            arrivals.Add((sendMs + Delay(sendMs), packets[i]));
            if (_random.NextDouble() < conditions.Duplication)
            {
                Duplicated++;
                arrivals.Add((sendMs + Delay(sendMs), packets[i]));
            }
        }

        arrivals.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return arrivals;
    }

    private double Delay(double sendMs)
    {
        double jitterBound = conditions.JitterAt?.Invoke(sendMs) ?? conditions.JitterMs;
        double delay = conditions.BaseDelayMs + (_random.NextDouble() * jitterBound);
        if (_random.NextDouble() < conditions.Reorder)
        {
            delay += 20 + (_random.NextDouble() * 40);
        }

        return delay;
    }
}

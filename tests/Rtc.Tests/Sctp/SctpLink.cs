using MediaServer.Rtc.Sctp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Rtc.Tests.Sctp;

/// <summary>
/// Two associations joined by an in-memory link that can drop, duplicate or reorder packets, driven by a
/// <see cref="FakeTimeProvider"/> so retransmission timers run deterministically (pion's vnet idea).
/// </summary>
internal sealed class SctpLink
{
    private readonly Queue<(bool ToB, byte[] Packet)> _wire = new();
    private readonly Random _random;

    public SctpLink(int seed = 1, SctpOptions? a = null, SctpOptions? b = null)
    {
        _random = new Random(seed);
        A = new SctpAssociation(a ?? new SctpOptions(), Time, p => _wire.Enqueue((true, p.ToArray())), NullLogger.Instance);
        B = new SctpAssociation(b ?? new SctpOptions(), Time, p => _wire.Enqueue((false, p.ToArray())), NullLogger.Instance);
    }

    public FakeTimeProvider Time { get; } = new();

    public SctpAssociation A { get; }

    public SctpAssociation B { get; }

    /// <summary>Probability a packet is lost.</summary>
    public double LossRate { get; set; }

    /// <summary>Decides per packet whether to drop it (in addition to <see cref="LossRate"/>).</summary>
    public Func<bool, byte[], bool>? DropIf { get; set; }

    public long Delivered { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>Delivers queued packets; when the wire is idle advances time 50 ms and runs timers, until done() or the budget ends.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan budget)
    {
        var end = Time.GetUtcNow() + budget;
        while (!done())
        {
            if (_wire.Count > 0)
            {
                var (toB, packet) = _wire.Dequeue();
                if (_random.NextDouble() < LossRate || (DropIf?.Invoke(toB, packet) ?? false))
                {
                    Dropped++;
                    continue;
                }

                Delivered++;
                (toB ? B : A).HandlePacket(packet);
                continue;
            }

            if (Time.GetUtcNow() >= end)
            {
                return false;
            }

            Time.Advance(TimeSpan.FromMilliseconds(50));
            A.HandleTimers();
            B.HandleTimers();
        }

        return true;
    }
}

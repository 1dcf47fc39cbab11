using MediaServer.Rtc.Rtcp;

namespace MediaServer.Fuzz;

/// <summary>
/// RTCP compound walking, every packet type's reader, and the RTCP session that consumes them (RFC 3550,
/// RFC 4585 feedback, RFC 5506 reduced size).
/// </summary>
public sealed class RtcpFuzzTarget : IFuzzTarget
{
    private readonly RtcpSession _session = new(1, "fuzz", 8000, TimeProvider.System, seed: 1);
    private readonly ushort[] _nacks = new ushort[1024];

    public string Name => "rtcp";

    public IReadOnlyList<byte[]> Seeds { get; } = BuildSeeds();

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        _ = RtcpCompound.Validate(input, allowReducedSize: true, out _);
        var walk = new RtcpCompound(input);
        while (walk.MoveNext())
        {
            var p = walk.Current;
            if (RtcpSenderReport.TryRead(p, out var sr) == RtcpParseError.None)
            {
                for (int i = 0; i < sr.ReportCount; i++)
                {
                    _ = sr.GetReport(i);
                }
            }

            if (RtcpReceiverReport.TryRead(p, out var rr) == RtcpParseError.None)
            {
                for (int i = 0; i < rr.ReportCount; i++)
                {
                    _ = rr.GetReport(i);
                }
            }

            if (p.PacketType == RtcpPacketType.SourceDescription)
            {
                RtcpSourceDescription.TryForEachItem(p, (_, _, _) => { }, out _);
                _ = RtcpSourceDescription.GetCName(p);
            }

            if (RtcpGoodbye.TryRead(p, out var bye) == RtcpParseError.None)
            {
                for (int i = 0; i < bye.SourceCount; i++)
                {
                    _ = bye.GetSource(i);
                }
            }

            _ = RtcpApplicationDefined.TryRead(p, out _);
            if (RtcpFeedback.TryRead(p, out var fb) == RtcpParseError.None)
            {
                _ = fb.GetNackedSequences(_nacks);
            }
        }

        _session.Process(input, TimeSpan.Zero);
    }

    private static byte[][] BuildSeeds()
    {
        var seeds = new List<byte[]>();
        var b = new byte[512];
        var session = new RtcpSession(9, "seed@example", 8000, TimeProvider.System, seed: 2);
        session.OnRtpSent(160, 160, TimeSpan.Zero);
        session.OnRtpReceived(1, 5, 800, TimeSpan.Zero);
        int n = session.WriteReport(b, TimeSpan.FromSeconds(1));
        seeds.Add(b[..n]);
        n = RtcpReceiverReport.Write(b, 1, []);
        n += RtcpGoodbye.Write(b.AsSpan(n), [1u, 2u], "bye"u8);
        seeds.Add(b[..n]);
        n = RtcpFeedback.WriteGenericNack(b, 1, 9, [1, 2, 3, 20, 40]);
        n += RtcpFeedback.WritePictureLossIndication(b.AsSpan(n), 1, 9);
        n += RtcpApplicationDefined.Write(b.AsSpan(n), 3, 1, "ABCD"u8, [1, 2, 3, 4]);
        seeds.Add(b[..n]);
        seeds.Add(Convert.FromHexString("82CA00050000000101026162060178000000000202017A00"));
        return [.. seeds];
    }
}

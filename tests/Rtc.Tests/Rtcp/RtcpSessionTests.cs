using MediaServer.Rtc.Rtcp;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Rtc.Tests.Rtcp;

public sealed class RtcpSessionTests
{
    [Fact]
    public void Two_sessions_measure_the_round_trip_from_sr_and_rr()
    {
        // One wall clock for both ends (as if NTP-synchronised); 40 ms one way each direction.
        var wall = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 17, 0, 0, TimeSpan.Zero));
        var alice = new RtcpSession(0xA, "alice", 8000, wall, seed: 1);
        var bob = new RtcpSession(0xB, "bob", 8000, wall, seed: 2);
        TimeSpan now = TimeSpan.Zero;

        for (int i = 0; i < 50; i++)
        {
            alice.OnRtpSent((uint)(i * 160), 160, now);
            bob.OnRtpReceived(0xA, (ushort)i, (uint)(i * 160), now + TimeSpan.FromMilliseconds(40));
            bob.OnRtpSent((uint)(i * 160), 160, now);
            alice.OnRtpReceived(0xB, (ushort)i, (uint)(i * 160), now + TimeSpan.FromMilliseconds(40));
            now += TimeSpan.FromMilliseconds(20);
        }

        wall.Advance(TimeSpan.FromSeconds(1));
        var buffer = new byte[alice.MaxReportLength];
        Assert.True(alice.IsReportDue(now));
        int n = alice.WriteReport(buffer, now);
        Assert.True(RtcpCompound.Validate(buffer.AsSpan(0, n), allowReducedSize: false, out _));
        Assert.Equal(RtcpPacketType.SenderReport, buffer[1]);
        Assert.False(alice.IsReportDue(now));

        // 40 ms to Bob, who holds it 300 ms, then 40 ms back.
        wall.Advance(TimeSpan.FromMilliseconds(40));
        now += TimeSpan.FromMilliseconds(40);
        bob.Process(buffer.AsSpan(0, n), now);
        Assert.Equal("alice", bob.RemoteCName);
        wall.Advance(TimeSpan.FromMilliseconds(300));
        now += TimeSpan.FromMilliseconds(300);
        var reply = new byte[bob.MaxReportLength];
        int m = bob.WriteReport(reply, now);
        wall.Advance(TimeSpan.FromMilliseconds(40));
        now += TimeSpan.FromMilliseconds(40);
        alice.Process(reply.AsSpan(0, m), now);

        Assert.NotNull(alice.RoundTripTime);
        Assert.InRange(alice.RoundTripTime.Value.TotalMilliseconds, 79, 81);
        Assert.Equal("bob", alice.RemoteCName);
        Assert.Equal(0, alice.MalformedReceived);
    }

    [Fact]
    public void Receiver_only_session_sends_rr_and_reports_loss()
    {
        var session = new RtcpSession(1, "rx", 8000, new FakeTimeProvider(), seed: 3);
        for (int i = 0; i < 100; i++)
        {
            if (i % 10 != 5)
            {
                session.OnRtpReceived(9, (ushort)i, (uint)(i * 160), TimeSpan.FromMilliseconds(i * 20));
            }
        }

        var buffer = new byte[session.MaxReportLength];
        int n = session.WriteReport(buffer, TimeSpan.FromSeconds(2));
        var walk = new RtcpCompound(buffer.AsSpan(0, n));
        Assert.True(walk.MoveNext());
        Assert.Equal(RtcpParseError.None, RtcpReceiverReport.TryRead(walk.Current, out var rr));
        Assert.Equal(1, rr.ReportCount);
        var block = rr.GetReport(0);
        Assert.Equal(9u, block.Ssrc);
        Assert.Equal(10, block.CumulativeLost);
        Assert.Equal((byte)(256 * 10 / 100), block.FractionLost);
    }

    [Fact]
    public void Bye_nack_pli_and_garbage_are_counted()
    {
        var session = new RtcpSession(1, "x", 48000, new FakeTimeProvider(), seed: 4);
        var buffer = new byte[128];
        int n = RtcpFeedback.WriteGenericNack(buffer, 2, 1, [5]);
        n += RtcpFeedback.WritePictureLossIndication(buffer.AsSpan(n), 2, 1);
        n += RtcpGoodbye.Write(buffer.AsSpan(n), [2u]);
        session.Process(buffer.AsSpan(0, n), TimeSpan.Zero);
        Assert.Equal(1, session.NacksReceived);
        Assert.Equal(1, session.PictureLossIndicationsReceived);
        Assert.True(session.RemoteLeft);
        session.Process([0x80, 201, 0, 9], TimeSpan.Zero);
        Assert.Equal(1, session.MalformedReceived);
        int bye = session.WriteBye(buffer);
        Assert.True(RtcpCompound.Validate(buffer.AsSpan(0, bye), false, out _));
    }

    [Fact]
    public void Reports_are_spaced_by_the_randomised_interval()
    {
        var session = new RtcpSession(1, "x", 8000, new FakeTimeProvider(), TimeSpan.FromSeconds(5), seed: 5);
        var buffer = new byte[session.MaxReportLength];
        var times = new List<double>();
        for (int tick = 0; tick < 50 * 60; tick++)
        {
            var now = TimeSpan.FromMilliseconds(tick * 20);
            if (session.IsReportDue(now))
            {
                session.WriteReport(buffer, now);
                times.Add(now.TotalSeconds);
            }
        }

        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, g => Assert.InRange(g, 2.5, 7.5));
        Assert.InRange(gaps.Average(), 4, 6);
    }
}

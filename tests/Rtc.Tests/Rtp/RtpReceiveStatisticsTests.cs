using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.Tests.Rtp;

public sealed class RtpReceiveStatisticsTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Clean_stream_has_no_loss_and_no_jitter()
    {
        var s = new RtpReceiveStatistics(1, 8000);
        for (int i = 0; i < 100; i++)
        {
            Assert.True(s.Update((ushort)(1000 + i), (uint)(i * 160), Ms(i * 20)));
        }

        var r = s.CreateReport(Ms(2000));
        Assert.Equal(0, r.CumulativeLost);
        Assert.Equal(0, r.FractionLost);
        Assert.Equal(1099u, r.ExtendedHighestSequence);
        Assert.Equal(0u, r.Jitter);
    }

    [Fact]
    public void Loss_is_counted_cumulatively_and_per_interval()
    {
        var s = new RtpReceiveStatistics(1, 8000);
        for (int i = 0; i < 100; i++)
        {
            if (i % 4 != 1)
            {
                s.Update((ushort)i, (uint)(i * 160), Ms(i * 20));
            }
        }

        // 100 expected (0..99), 75 received: 25 lost = 64/256.
        var r1 = s.CreateReport(Ms(2000));
        Assert.Equal(25, r1.CumulativeLost);
        Assert.Equal(64, r1.FractionLost);

        for (int i = 100; i < 200; i++)
        {
            s.Update((ushort)i, (uint)(i * 160), Ms(i * 20));
        }

        var r2 = s.CreateReport(Ms(4000));
        Assert.Equal(25, r2.CumulativeLost);
        Assert.Equal(0, r2.FractionLost); // nothing lost in this interval
    }

    [Fact]
    public void Sequence_wrap_increments_cycles()
    {
        var s = new RtpReceiveStatistics(1, 8000);
        for (int i = 0; i < 20; i++)
        {
            s.Update((ushort)(65530 + i), (uint)(i * 160), Ms(i * 20));
        }

        Assert.Equal(65536u + 13, s.ExtendedHighestSequence);
        Assert.Equal(0, s.CumulativeLost);
    }

    [Fact]
    public void Duplicates_make_loss_negative_as_rfc3550_a3_says()
    {
        var s = new RtpReceiveStatistics(1, 8000);
        for (int i = 0; i < 10; i++)
        {
            s.Update((ushort)i, (uint)(i * 160), Ms(i * 20));
            s.Update((ushort)i, (uint)(i * 160), Ms((i * 20) + 1));
        }

        Assert.Equal(-10, s.CumulativeLost);
        Assert.Equal(0, s.CreateReport(Ms(200)).FractionLost);
    }

    [Fact]
    public void Jitter_follows_the_a8_estimator()
    {
        // Every other packet arrives 10 ms (80 units at 8 kHz) late: |D| = 80 for every pair after the first.
        // J converges to 80 from below as J += (80 - J) / 16.
        var s = new RtpReceiveStatistics(1, 8000);
        double expected = 0;
        for (int i = 0; i < 400; i++)
        {
            s.Update((ushort)i, (uint)(i * 160), Ms((i * 20) + (i % 2 == 1 ? 10 : 0)));
            if (i > 0)
            {
                expected += (80 - expected) / 16;
            }
        }

        Assert.InRange(s.Jitter, 78u, 80u);
        Assert.InRange(s.Jitter, (uint)expected - 2, (uint)expected + 1);
        Assert.InRange(s.JitterMilliseconds, 9.7, 10.0);
    }

    [Fact]
    public void Big_jump_is_rejected_until_confirmed_as_a_restart()
    {
        var s = new RtpReceiveStatistics(1, 8000);
        for (int i = 0; i < 10; i++)
        {
            s.Update((ushort)i, (uint)(i * 160), Ms(i * 20));
        }

        Assert.False(s.Update(20000, 0, Ms(200)));
        Assert.True(s.Update(20001, 160, Ms(220))); // the sender restarted: stats restart there
        Assert.Equal(1, s.PacketsDiscarded);
        Assert.Equal(20001u, s.ExtendedHighestSequence);
        Assert.Equal(0, s.CumulativeLost);
    }

    [Fact]
    public void Probation_of_two_follows_rfc3550_a1()
    {
        var s = new RtpReceiveStatistics(1, 8000, minSequential: 2);
        Assert.False(s.Update(10, 0, Ms(0)));
        Assert.True(s.Update(11, 160, Ms(20)));
        Assert.True(s.Update(12, 320, Ms(40)));
        Assert.Equal(2, s.PacketsReceived);
        Assert.Equal(0, s.CumulativeLost);
    }

    [Fact]
    public void Dlsr_counts_from_the_last_sender_report()
    {
        var s = new RtpReceiveStatistics(1, 8000);
        s.Update(1, 0, Ms(0));
        s.OnSenderReport(0x1234_5678_9ABC_DEF0, Ms(1000));
        var r = s.CreateReport(Ms(1500));
        Assert.Equal(0x5678_9ABCu, r.LastSenderReport);
        Assert.Equal(32768u, r.DelaySinceLastSenderReport);
    }
}

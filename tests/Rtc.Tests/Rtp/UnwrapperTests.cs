using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.Tests.Rtp;

public sealed class UnwrapperTests
{
    [Fact]
    public void Sequence_wraps_forward_and_reorders_back()
    {
        var u = new SequenceUnwrapper();
        Assert.Equal(65534, u.Unwrap(65534));
        Assert.Equal(65535, u.Unwrap(65535));
        Assert.Equal(65536, u.Unwrap(0));
        Assert.Equal(65535, u.Unwrap(65535)); // late packet from before the wrap
        Assert.Equal(65537, u.Unwrap(1));
        Assert.Equal(65536 + 30000, u.Unwrap(30000));
        Assert.Equal(65536 + 100, u.Unwrap(100)); // 35636 ahead by modulo is nearer backwards: a late packet
        Assert.Equal(65536 + 62000, u.Unwrap(62000));
        Assert.Equal((2 * 65536) + 100, u.Unwrap(100)); // now 3636 ahead: the second wrap
    }

    [Fact]
    public void Sequence_unwrap_counts_many_cycles()
    {
        var u = new SequenceUnwrapper();
        long last = 0;
        for (int i = 0; i < 5 * 65536; i += 1000)
        {
            last = u.Unwrap((ushort)i);
        }

        Assert.Equal(327000, last);
    }

    [Fact]
    public void Timestamp_wraps()
    {
        var u = new TimestampUnwrapper();
        Assert.Equal(uint.MaxValue - 959, u.Unwrap(uint.MaxValue - 959));
        Assert.Equal((long)uint.MaxValue + 1 + 0, u.Unwrap(960 - 960 + 0));
        Assert.Equal((long)uint.MaxValue + 1 + 960, u.Unwrap(960));
        Assert.Equal(uint.MaxValue - 959, u.Unwrap(uint.MaxValue - 959));
    }
}

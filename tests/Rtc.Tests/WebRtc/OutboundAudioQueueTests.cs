using MediaServer.Rtc.WebRtc;

namespace MediaServer.Rtc.Tests.WebRtc;

public sealed class OutboundAudioQueueTests
{
    [Fact]
    public void Frames_come_out_in_order_and_the_last_partial_frame_is_padded()
    {
        var queue = new OutboundAudioQueue(48000 * 10);
        var pcm = Enumerable.Range(0, 2500).Select(i => (short)i).ToArray();
        queue.Enqueue(pcm);
        var frame = new short[960];
        Assert.True(queue.TryDequeue(frame, padPartial: true));
        Assert.Equal(0, frame[0]);
        Assert.True(queue.TryDequeue(frame, padPartial: true));
        Assert.Equal(960, frame[0]);
        Assert.True(queue.TryDequeue(frame, padPartial: true));
        Assert.Equal(1920, frame[0]);
        Assert.Equal(2499, frame[579]);
        Assert.Equal(0, frame[580]);
        Assert.False(queue.TryDequeue(frame, padPartial: true));
    }

    [Fact]
    public void Grows_past_its_initial_size_wraps_and_clears()
    {
        var queue = new OutboundAudioQueue(48000 * 10);
        var frame = new short[960];
        short next = 0, expected = 0;
        for (int round = 0; round < 20; round++)
        {
            var chunk = new short[7000];
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = next++;
            }

            queue.Enqueue(chunk);
            for (int f = 0; f < 5; f++)
            {
                Assert.True(queue.TryDequeue(frame, padPartial: false));
                for (int i = 0; i < frame.Length; i++)
                {
                    Assert.Equal(expected++, frame[i]);
                }
            }
        }

        Assert.Equal((20 * 7000) - (100 * 960), queue.Count);
        Assert.Equal((20 * 7000) - (100 * 960), queue.Clear());
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Beyond_the_cap_the_oldest_audio_is_dropped()
    {
        var queue = new OutboundAudioQueue(2000);
        queue.Enqueue(Enumerable.Range(0, 3000).Select(i => (short)i).ToArray());
        Assert.Equal(2000, queue.Count);
        Assert.Equal(1000, queue.Overflowed);
        var frame = new short[960];
        queue.TryDequeue(frame, padPartial: false);
        Assert.Equal(1000, frame[0]);
    }
}

using MediaServer.Pipeline.Interruptions;

namespace MediaServer.Pipeline.Tests.Interruptions;

public sealed class EchoReferenceTests
{
    private static short[] Ramp(int n, int from = 1) => Enumerable.Range(from, n).Select(i => (short)i).ToArray();

    [Fact]
    public void Audio_is_scheduled_after_what_is_queued_or_now_when_the_queue_drained()
    {
        var reference = new EchoReference();
        Assert.Equal(100, reference.Append(Ramp(50), nowSample: 100));
        Assert.Equal(150, reference.Append(Ramp(50), nowSample: 120)); // still queued: plays after
        Assert.Equal(1000, reference.Append(Ramp(10), nowSample: 1000)); // drained: plays now
        var read = new short[6];
        reference.Read(148, read);
        Assert.Equal(new short[] { 49, 50, 1, 2, 3, 4 }, read);
        reference.Read(995, read);
        Assert.Equal(new short[] { 0, 0, 0, 0, 0, 1 }, read); // the gap is silence
    }

    [Fact]
    public void Flush_drops_what_was_scheduled_after_now()
    {
        var reference = new EchoReference();
        reference.Append(Ramp(1000), 0);
        reference.Flush(300);
        Assert.Equal(300, reference.EndSample);
        var read = new short[4];
        reference.Read(298, read);
        Assert.Equal(new short[] { 299, 300, 0, 0 }, read);
        Assert.Equal(400, reference.Append(Ramp(5), 400));
        Assert.True(reference.Overlaps(0, 301));
        Assert.False(reference.Overlaps(405, 500));
    }

    [Fact]
    public void A_websocket_burst_far_ahead_of_real_time_is_kept_whole()
    {
        var reference = new EchoReference();
        var speech = new short[16_000 * 40]; // 40 s sent at once
        for (int i = 0; i < speech.Length; i++)
        {
            speech[i] = (short)((i % 1000) + 1);
        }

        reference.Append(speech, 0);
        var read = new short[3];
        reference.Read(16_000 * 39, read);
        Assert.Equal(new short[] { (short)((16_000 * 39 % 1000) + 1), (short)((16_000 * 39 % 1000) + 2), (short)((16_000 * 39 % 1000) + 3) }, read);
        reference.Read(0, read);
        Assert.Equal(new short[] { 1, 2, 3 }, read);
    }

    [Fact]
    public void A_burst_longer_than_the_ring_keeps_what_plays_now_and_drops_the_far_end()
    {
        // Minutes of speech sent in seconds (fast synthesis over WebSocket): the audio playing now must stay the
        // reference, or its echo reads as the user speaking over the agent.
        var reference = new EchoReference();
        var chunk = new short[16_000 * 10];
        for (int i = 0; i < chunk.Length; i++)
        {
            chunk[i] = (short)((i % 1000) + 1);
        }

        for (int n = 0; n < 20; n++)
        {
            reference.Append(chunk, nowSample: n * 1600); // 200 s sent while 2 s play
        }

        var read = new short[3];
        reference.Read(16_000 * 2, read);
        Assert.Equal(new short[] { 1, 2, 3 }, read);
        Assert.Equal(16_000L * 200, reference.EndSample);
        reference.Read(16_000 * 190, read); // beyond the ring: not held, reads as silence, never as other audio
        Assert.Equal(new short[] { 0, 0, 0 }, read);
    }
}

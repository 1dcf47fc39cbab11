using MediaServer.Rtc.Codecs;
using MediaServer.Rtc.Jitter;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.Tests.Jitter;

public sealed class JitterBufferTests
{
    private const int Frame = 160;

    /// <summary>A decoder whose output says what happened: the payload's first byte, -1 for PLC, -2 for FEC.</summary>
    private sealed class MarkingDecoder(bool fec) : IAudioDecoder
    {
        public string Name => "marking";

        public int SampleRate => 8000;

        public int Channels => 1;

        public bool SupportsFec => fec;

        public int FecCalls { get; private set; }

        public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
        {
            pcm[..Frame].Fill(payload[0]);
            return Frame;
        }

        public int Conceal(Span<short> pcm, int samples)
        {
            pcm[..samples].Fill(-1);
            return samples;
        }

        public int DecodeFec(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samples)
        {
            FecCalls++;
            pcm[..samples].Fill(-2);
            return samples;
        }

        public void Reset()
        {
        }

        public void Dispose()
        {
        }
    }

    // The marking decoder's frames are constant; time stretching would blend neighbours, so these tests switch it
    // off with a dead band wider than any delay (stretching is covered by the network simulation tests).
    private static readonly TimeSpan NoStretching = TimeSpan.FromSeconds(10);

    private static byte[] Packet(int index, byte pt = 0, bool marker = false, byte[]? payload = null)
    {
        var header = new RtpHeader { PayloadType = pt, SequenceNumber = (ushort)(100 + index), Timestamp = (uint)(8000 + (index * Frame)), Ssrc = 7, Marker = marker };
        var packet = new RtpPacket(header, payload ?? [(byte)(index + 1), 0]);
        var bytes = new byte[packet.Length];
        packet.Write(bytes);
        return bytes;
    }

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    /// <summary>Pulls a frame and returns its first sample (the marker value).</summary>
    private static short PullMark(JitterBuffer buffer, double nowMs, out JitterFrameKind kind)
    {
        var pcm = new short[Frame];
        kind = buffer.Pull(pcm, Ms(nowMs));
        Assert.All(pcm, v => Assert.Equal(pcm[0], v));
        return pcm[0];
    }

    [Fact]
    public void Reordered_packets_play_in_timestamp_order()
    {
        var buffer = new JitterBuffer(new MarkingDecoder(false), 8000, new JitterBufferOptions { Hysteresis = NoStretching, InitialDelay = Ms(40) });
        int[] order = [0, 2, 1, 4, 3, 5, 7, 6, 8, 9];
        for (int i = 0; i < order.Length; i++)
        {
            Assert.Equal(JitterPushResult.Accepted, buffer.Push(Packet(order[i]), Ms(i * 20)));
        }

        var played = new List<short>();
        for (int t = 0; t < 14; t++)
        {
            short mark = PullMark(buffer, 200 + (t * 20), out _);
            if (mark > 0)
            {
                played.Add(mark);
            }
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (short)i), played);
        Assert.Equal(10, buffer.Statistics.FramesDecoded);
    }

    [Fact]
    public void Nothing_plays_before_the_initial_delay_then_everything_in_order()
    {
        var buffer = new JitterBuffer(new MarkingDecoder(false), 8000, new JitterBufferOptions { Hysteresis = NoStretching, InitialDelay = Ms(60) });
        buffer.Push(Packet(0), Ms(0));
        Assert.Equal(0, PullMark(buffer, 0, out var k0));
        Assert.Equal(JitterFrameKind.Silence, k0);
        Assert.Equal(0, PullMark(buffer, 20, out _));
        buffer.Push(Packet(1), Ms(20));
        buffer.Push(Packet(2), Ms(40));
        Assert.Equal(0, PullMark(buffer, 40, out _));
        Assert.Equal(1, PullMark(buffer, 60, out var k1)); // 60 ms after the first arrival: within half a frame of 60 ms
        Assert.Equal(JitterFrameKind.Decoded, k1);
        Assert.Equal(2, PullMark(buffer, 80, out _));
        Assert.Equal(3, buffer.Statistics.FramesSilent);
    }

    [Fact]
    public void Duplicates_and_late_packets_are_dropped_and_counted()
    {
        var buffer = new JitterBuffer(new MarkingDecoder(false), 8000, new JitterBufferOptions { Hysteresis = NoStretching, InitialDelay = Ms(20) });
        Assert.Equal(JitterPushResult.Accepted, buffer.Push(Packet(0), Ms(0)));
        Assert.Equal(JitterPushResult.Duplicate, buffer.Push(Packet(0), Ms(1)));
        Assert.Equal(JitterPushResult.Accepted, buffer.Push(Packet(2), Ms(2)));
        Assert.Equal(1, PullMark(buffer, 20, out _));
        Assert.Equal(-1, PullMark(buffer, 40, out var kind)); // packet 1 missing, 2 is here: concealed as loss
        Assert.Equal(JitterFrameKind.Concealed, kind);
        Assert.Equal(JitterPushResult.Late, buffer.Push(Packet(1), Ms(45)));
        Assert.Equal(JitterPushResult.Duplicate, buffer.Push(Packet(0), Ms(46))); // already played
        Assert.Equal(3, PullMark(buffer, 60, out _));
        var s = buffer.Statistics;
        Assert.Equal(2, s.DuplicatePackets);
        Assert.Equal(1, s.LatePackets);
        Assert.Equal(1, s.FramesConcealed);
    }

    [Fact]
    public void A_gap_followed_by_the_next_packet_uses_its_fec()
    {
        var decoder = new MarkingDecoder(true);
        var buffer = new JitterBuffer(decoder, 8000, new JitterBufferOptions { Hysteresis = NoStretching, InitialDelay = Ms(20) });
        buffer.Push(Packet(0), Ms(0));
        buffer.Push(Packet(2), Ms(1));
        buffer.Push(Packet(5), Ms(2));
        Assert.Equal(1, PullMark(buffer, 20, out _));
        Assert.Equal(-2, PullMark(buffer, 40, out var kind)); // 1 rebuilt from 2's FEC
        Assert.Equal(JitterFrameKind.RecoveredByFec, kind);
        Assert.Equal(3, PullMark(buffer, 60, out _));
        Assert.Equal(-1, PullMark(buffer, 80, out _)); // 3 missing and 4 missing: 5 does not follow directly -> PLC
        Assert.Equal(-2, PullMark(buffer, 100, out _)); // 4 from 5's FEC
        Assert.Equal(6, PullMark(buffer, 120, out _));
        Assert.Equal(2, buffer.Statistics.FramesRecoveredByFec);
        Assert.Equal(1, buffer.Statistics.FramesConcealed);
    }

    [Fact]
    public void Running_dry_conceals_without_skipping_then_stops_and_rebuffers()
    {
        var buffer = new JitterBuffer(new MarkingDecoder(false), 8000, new JitterBufferOptions { Hysteresis = NoStretching, InitialDelay = Ms(20), MaxUnderrun = Ms(60) });
        buffer.Push(Packet(0), Ms(0));
        Assert.Equal(1, PullMark(buffer, 20, out _));
        Assert.Equal(-1, PullMark(buffer, 40, out _)); // dry: conceal, keep waiting for packet 1
        buffer.Push(Packet(1), Ms(50));
        Assert.Equal(2, PullMark(buffer, 60, out _)); // packet 1 was not skipped
        Assert.Equal(1, buffer.Statistics.Underruns);

        for (int t = 0; t < 3; t++)
        {
            Assert.Equal(-1, PullMark(buffer, 80 + (t * 20), out _));
        }

        Assert.Equal(0, PullMark(buffer, 140, out var kind)); // past MaxUnderrun: silence until the next talk spurt
        Assert.Equal(JitterFrameKind.Silence, kind);
        buffer.Push(Packet(100, marker: true), Ms(2000));
        Assert.Equal(0, PullMark(buffer, 2000, out _)); // buffering up to the target again
        short first = 0;
        for (int t = 1; t < 6 && first == 0; t++)
        {
            first = PullMark(buffer, 2000 + (t * 20), out _);
        }

        Assert.Equal(101, first);
    }

    [Fact]
    public void A_long_timestamp_jump_is_played_without_concealing_the_gap()
    {
        var buffer = new JitterBuffer(new MarkingDecoder(false), 8000, new JitterBufferOptions { Hysteresis = NoStretching, InitialDelay = Ms(20) });
        buffer.Push(Packet(0), Ms(0));
        buffer.Push(Packet(50), Ms(5)); // one second ahead: a new talk spurt
        Assert.Equal(1, PullMark(buffer, 20, out _));
        Assert.Equal(51, PullMark(buffer, 40, out _));
        Assert.Equal(1, buffer.Statistics.Resyncs);
        Assert.Equal(0, buffer.Statistics.FramesConcealed);
    }

    [Fact]
    public void Comfort_noise_fills_silence_until_speech_resumes()
    {
        var buffer = new JitterBuffer(new MarkingDecoder(false), 8000, new JitterBufferOptions { Hysteresis = NoStretching, InitialDelay = Ms(20) });
        buffer.Push(Packet(0), Ms(0));
        buffer.Push(Packet(1, pt: 13, payload: [40]), Ms(20)); // SID: noise at -40 dBov
        Assert.Equal(1, PullMark(buffer, 20, out _));
        var pcm = new short[Frame];
        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(JitterFrameKind.ComfortNoise, buffer.Pull(pcm, Ms(40 + (t * 20))));
            double rms = Math.Sqrt(pcm.Average(v => (double)v * v));
            Assert.InRange(rms, 327 * 0.8, 327 * 1.25); // 32767 * 10^(-40/20)
        }

        buffer.Push(Packet(5), Ms(120));
        Assert.Equal(6, PullMark(buffer, 120, out var kind));
        Assert.Equal(JitterFrameKind.Decoded, kind);
        Assert.Equal(4, buffer.Statistics.FramesComfortNoise);
        Assert.Equal(0, buffer.Statistics.FramesConcealed);
    }

    [Fact]
    public void Other_payload_types_and_garbage_are_rejected()
    {
        var buffer = new JitterBuffer(new MarkingDecoder(false), 8000, new JitterBufferOptions { PayloadType = 0 });
        Assert.Equal(JitterPushResult.Rejected, buffer.Push(Packet(0, pt: 101), Ms(0)));
        Assert.Equal(JitterPushResult.Rejected, buffer.Push([1, 2, 3], Ms(0)));
        Assert.Equal(JitterPushResult.Rejected, buffer.Push(Packet(0, payload: []), Ms(0)));
        Assert.Equal(JitterPushResult.Accepted, buffer.Push(Packet(0), Ms(0)));
        Assert.Equal(3, buffer.Statistics.RejectedPackets);
    }

    [Fact]
    public void A_full_buffer_drops_its_oldest_packet()
    {
        var buffer = new JitterBuffer(new MarkingDecoder(false), 8000, new JitterBufferOptions { Hysteresis = NoStretching, Capacity = 4, InitialDelay = Ms(400), MaxDelay = Ms(400) });
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(JitterPushResult.Accepted, buffer.Push(Packet(i), Ms(i)));
        }

        Assert.Equal(JitterPushResult.AcceptedWithOverflow, buffer.Push(Packet(4), Ms(5)));
        Assert.Equal(1, buffer.Statistics.OverflowPackets);
        Assert.Equal(2, PullMark(buffer, 400, out _)); // packet 0 was dropped
    }

    [Fact]
    public void Pull_allocates_nothing_in_steady_state()
    {
        var buffer = new JitterBuffer(new G711Decoder(G711Law.MuLaw), 8000);
        var payload = new byte[Frame];
        var bytes = new byte[Frame + 12];
        var pcm = new short[Frame];
        void Step(int i)
        {
            var header = new RtpHeader { SequenceNumber = (ushort)i, Timestamp = (uint)(i * Frame), Ssrc = 1 };
            new RtpPacket(header, payload).Write(bytes);
            buffer.Push(bytes, Ms(i * 20));
            buffer.Pull(pcm, Ms((i * 20) + 5));
        }

        for (int i = 0; i < 200; i++)
        {
            Step(i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 200; i < 1200; i++)
        {
            Step(i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

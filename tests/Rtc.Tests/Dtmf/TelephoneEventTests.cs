using MediaServer.Rtc.Dtmf;

namespace MediaServer.Rtc.Tests.Dtmf;

public sealed class TelephoneEventTests
{
    [Fact]
    public void Payload_layout_follows_rfc4733_section_2_3()
    {
        // Event 5, E=1, R=0, volume 10, duration 800 -> 05 8A 03 20.
        var e = new TelephoneEvent(5, true, 10, 800);
        var bytes = new byte[4];
        Assert.Equal(4, e.Write(bytes));
        Assert.Equal(new byte[] { 0x05, 0x8A, 0x03, 0x20 }, bytes);
        Assert.True(TelephoneEvent.TryRead(bytes, out var back));
        Assert.Equal(e, back);

        // The reserved bit is ignored on receipt (section 2.3.3).
        Assert.True(TelephoneEvent.TryRead([0x0B, 0x40 | 0x3F, 0xFF, 0xFF], out var r));
        Assert.Equal(new TelephoneEvent(11, false, 63, 65535), r);
        Assert.False(TelephoneEvent.TryRead([1, 2, 3], out _));
    }

    [Theory]
    [InlineData('0', 0)]
    [InlineData('9', 9)]
    [InlineData('*', 10)]
    [InlineData('#', 11)]
    [InlineData('A', 12)]
    [InlineData('d', 15)]
    public void Digits_map_to_codes_of_section_3_2(char digit, byte code)
    {
        Assert.True(TelephoneEvent.TryGetCode(digit, out byte c));
        Assert.Equal(code, c);
        Assert.Equal(char.ToUpperInvariant(digit), TelephoneEvent.ToDigit(code));
    }

    [Fact]
    public void Sender_emits_marker_updates_and_three_end_packets()
    {
        var sender = new TelephoneEventSender(8000, 20);
        sender.Enqueue('1', TimeSpan.FromMilliseconds(100), volume: 10);
        var packets = new List<TelephoneEventPacket>();
        uint ts = 1000;
        for (int tick = 0; tick < 20; tick++, ts += 160)
        {
            if (sender.TryGetPacket(ts, out var p))
            {
                packets.Add(p);
            }
        }

        Assert.Equal(7, packets.Count);
        Assert.All(packets, p => Assert.Equal(1000u, p.Timestamp));
        Assert.True(packets[0].Marker);
        Assert.All(packets.Skip(1), p => Assert.False(p.Marker));
        Assert.Equal(new ushort[] { 160, 320, 480, 640, 800, 800, 800 }, packets.Select(p => p.Event.Duration));
        Assert.Equal(new[] { false, false, false, false, true, true, true }, packets.Select(p => p.Event.End));
        Assert.False(sender.IsBusy);
    }

    [Fact]
    public void Queued_digits_get_new_timestamps_and_a_gap()
    {
        var sender = new TelephoneEventSender(8000, 20, interDigitGapMilliseconds: 40);
        sender.Enqueue('1', TimeSpan.FromMilliseconds(40));
        sender.Enqueue('2', TimeSpan.FromMilliseconds(40));
        var starts = new List<(uint Ts, int Tick)>();
        uint ts = 0;
        for (int tick = 0; tick < 30; tick++, ts += 160)
        {
            if (sender.TryGetPacket(ts, out var p) && p.Marker)
            {
                starts.Add((p.Timestamp, tick));
            }
        }

        Assert.Equal(2, starts.Count);
        Assert.Equal(0u, starts[0].Ts);
        // digit 1: ticks 0-1 updates, ticks 2-3 repeat ends, ticks 4-5 gap, digit 2 at tick 6.
        Assert.Equal(6, starts[1].Tick);
        Assert.Equal(960u, starts[1].Ts);
    }

    [Fact]
    public void Long_event_is_cut_into_segments()
    {
        // 10 s at 8 kHz = 80000 units > 65535: a second segment starts 65535 units later, without marker.
        var sender = new TelephoneEventSender(8000, 20);
        sender.EnqueueEvent(16, TimeSpan.FromSeconds(10));
        var receiver = new TelephoneEventReceiver();
        var timestamps = new HashSet<uint>();
        int markers = 0, ended = 0, began = 0;
        uint ts = 5000;
        var payload = new byte[4];
        for (int tick = 0; tick < 600; tick++, ts += 160)
        {
            if (sender.TryGetPacket(ts, out var p))
            {
                timestamps.Add(p.Timestamp);
                markers += p.Marker ? 1 : 0;
                Assert.True(p.Event.Duration <= ushort.MaxValue);
                p.Event.Write(payload);
                var outcome = receiver.Process(payload, p.Timestamp, p.Marker, out _);
                began += outcome == TelephoneEventOutcome.Began ? 1 : 0;
                ended += outcome == TelephoneEventOutcome.Ended ? 1 : 0;
            }
        }

        Assert.Equal(new HashSet<uint> { 5000u, 5000u + 65535u }, timestamps);
        Assert.Equal(1, markers);
        Assert.Equal(1, began);
        Assert.Equal(1, ended);
        Assert.Equal(80000u, receiver.LastDuration);
    }

    [Fact]
    public void Receiver_reports_each_event_once_despite_loss_and_repeats()
    {
        var r = new TelephoneEventReceiver();
        byte[] P(byte code, bool end, ushort duration)
        {
            var b = new byte[4];
            new TelephoneEvent(code, end, 10, duration).Write(b);
            return b;
        }

        // Digit 7 at ts 100: the marker packet was lost; updates, then three ends.
        Assert.Equal(TelephoneEventOutcome.Began, r.Process(P(7, false, 320), 100, false, out var e));
        Assert.Equal(7, e.Event);
        Assert.Equal(TelephoneEventOutcome.None, r.Process(P(7, false, 480), 100, false, out _));
        Assert.Equal(TelephoneEventOutcome.Ended, r.Process(P(7, true, 800), 100, false, out _));
        Assert.Equal(TelephoneEventOutcome.None, r.Process(P(7, true, 800), 100, false, out _));
        Assert.Equal(TelephoneEventOutcome.None, r.Process(P(7, true, 800), 100, false, out _));
        Assert.Equal(800u, r.LastDuration);

        // A late update of digit 7 after it ended changes nothing.
        Assert.Equal(TelephoneEventOutcome.None, r.Process(P(7, false, 640), 100, false, out _));

        // Same digit pressed again: new timestamp with marker is a new event.
        Assert.Equal(TelephoneEventOutcome.Began, r.Process(P(7, false, 160), 2000, true, out _));

        // Only the end packets of digit 3 arrived.
        Assert.Equal(TelephoneEventOutcome.BeganAndEnded, r.Process(P(3, true, 800), 4000, false, out _));
        Assert.Equal(TelephoneEventOutcome.None, r.Process(P(3, true, 800), 4000, false, out _));

        // A packet from an older event (timestamp behind) is ignored.
        Assert.Equal(TelephoneEventOutcome.None, r.Process(P(7, false, 320), 2000, false, out _));
        Assert.Equal(TelephoneEventOutcome.Malformed, r.Process([1, 2], 5000, false, out _));
        Assert.Equal(3, r.EventCount);
    }
}

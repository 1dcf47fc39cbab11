using System.Buffers.Binary;
using System.Security.Cryptography;
using MediaServer.Rtc.Sctp;

namespace MediaServer.Rtc.Tests.Sctp;

public sealed class SctpAssociationTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    private static SctpLink Established(int seed = 1)
    {
        var link = new SctpLink(seed);
        link.A.Connect();
        Assert.True(link.RunUntil(() => link.A.State == SctpState.Established && link.B.State == SctpState.Established, Budget));
        return link;
    }

    [Fact]
    public void Four_way_handshake_establishes_both_sides()
    {
        var link = new SctpLink();
        int establishedA = 0, establishedB = 0;
        link.A.Established += () => establishedA++;
        link.B.Established += () => establishedB++;
        link.A.Connect();
        Assert.True(link.RunUntil(() => establishedA == 1 && establishedB == 1, Budget));
        Assert.Equal(4, link.Delivered); // INIT, INIT ACK, COOKIE ECHO, COOKIE ACK
    }

    [Fact]
    public void Handshake_survives_lost_init_and_cookie_echo()
    {
        var link = new SctpLink();
        int dropped = 0;
        link.DropIf = (_, p) =>
        {
            bool drop = p[12] is SctpChunkType.Init or SctpChunkType.CookieEcho && dropped < 2;
            dropped += drop ? 1 : 0;
            return drop;
        };
        link.A.Connect();
        Assert.True(link.RunUntil(() => link.A.State == SctpState.Established && link.B.State == SctpState.Established, Budget));
        Assert.Equal(2, dropped);
    }

    [Fact]
    public void Simultaneous_init_from_both_sides_still_establishes()
    {
        var link = new SctpLink();
        link.A.Connect();
        link.B.Connect();
        Assert.True(link.RunUntil(() => link.A.State == SctpState.Established && link.B.State == SctpState.Established, Budget));
    }

    [Fact]
    public void Small_messages_arrive_in_order()
    {
        var link = Established();
        var received = new List<string>();
        link.B.MessageReceived += (stream, ppid, data) => received.Add($"{stream}/{ppid}/{System.Text.Encoding.UTF8.GetString(data)}");
        for (int i = 0; i < 50; i++)
        {
            Assert.True(link.A.Send(1, 51, System.Text.Encoding.UTF8.GetBytes("m" + i)));
        }

        Assert.True(link.RunUntil(() => received.Count == 50, Budget));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => "1/51/m" + i), received);
    }

    [Fact]
    public void Large_messages_are_fragmented_and_reassembled()
    {
        var link = Established();
        var big = RandomNumberGenerator.GetBytes(200_000);
        byte[]? got = null;
        link.B.MessageReceived += (_, _, data) => got = data;
        Assert.True(link.A.Send(3, 53, big));
        Assert.True(link.RunUntil(() => got is not null, Budget));
        Assert.Equal(big, got);
        Assert.True(link.Delivered > 180); // fragments of at most ~1072 bytes
    }

    [Theory]
    [InlineData(0.05, 7)]
    [InlineData(0.2, 11)]
    public void Reliable_ordered_delivery_over_a_lossy_link(double loss, int seed)
    {
        var link = Established(seed);
        link.LossRate = loss;
        var messages = Enumerable.Range(0, 200).Select(i => RandomNumberGenerator.GetBytes(100 + (i * 37 % 3000))).ToList();
        var received = new List<byte[]>();
        var back = new List<byte[]>();
        link.B.MessageReceived += (_, _, data) => received.Add(data);
        link.A.MessageReceived += (_, _, data) => back.Add(data);
        foreach (var m in messages)
        {
            Assert.True(link.A.Send(0, 53, m));
        }

        Assert.True(link.B.Send(1, 51, "reply"u8));
        Assert.True(link.RunUntil(() => received.Count == messages.Count && back.Count == 1, Budget), $"got {received.Count}");
        for (int i = 0; i < messages.Count; i++)
        {
            Assert.Equal(messages[i], received[i]);
        }

        Assert.True(link.Dropped > 0);
        Assert.True(link.A.Retransmissions > 0);
        Assert.Equal(SctpState.Established, link.A.State);
    }

    [Fact]
    public void Congestion_window_grows_in_slow_start_and_collapses_on_timeout()
    {
        var link = Established();
        int initial = link.A.CongestionWindow;
        for (int i = 0; i < 100; i++)
        {
            link.A.Send(0, 53, new byte[1000]);
        }

        Assert.True(link.RunUntil(() => link.A.BufferedBytes == 0, Budget));
        Assert.True(link.A.CongestionWindow > initial);

        link.DropIf = (toB, _) => toB; // black-hole A to B
        link.A.Send(0, 53, new byte[1000]);
        link.RunUntil(() => link.A.Retransmissions >= 2, Budget);
        Assert.Equal(1100, link.A.CongestionWindow);
    }

    [Fact]
    public void Peer_that_vanishes_ends_the_association_after_max_retransmissions()
    {
        var link = Established();
        string? reason = null;
        link.A.Terminated += r => reason = r;
        link.DropIf = (_, _) => true;
        link.A.Send(0, 53, new byte[10]);
        Assert.True(link.RunUntil(() => reason is not null, TimeSpan.FromMinutes(10)));
        Assert.Equal("too many retransmissions", reason);
        Assert.Equal(SctpState.Terminated, link.A.State);
    }

    [Fact]
    public void Abort_terminates_the_peer()
    {
        var link = Established();
        string? reason = null;
        link.B.Terminated += r => reason = r;
        link.A.Abort("test");
        Assert.True(link.RunUntil(() => reason is not null, Budget));
        Assert.Equal("peer sent ABORT", reason);
    }

    [Fact]
    public void Graceful_shutdown_delivers_queued_data_first()
    {
        var link = Established();
        int received = 0;
        link.B.MessageReceived += (_, _, _) => received++;
        for (int i = 0; i < 10; i++)
        {
            link.A.Send(0, 51, new byte[500]);
        }

        link.A.Shutdown();
        Assert.True(link.RunUntil(() => link.A.State == SctpState.Terminated && link.B.State == SctpState.Terminated, Budget));
        Assert.Equal(10, received);
        Assert.Equal("shutdown complete", link.A.TerminationReason);
    }

    [Fact]
    public void Heartbeats_are_answered_when_idle()
    {
        var link = Established();
        int heartbeatAcks = 0;
        link.DropIf = (toB, p) =>
        {
            if (!toB && p[12] == SctpChunkType.HeartbeatAck)
            {
                heartbeatAcks++;
            }

            return false;
        };
        link.RunUntil(() => heartbeatAcks >= 2, TimeSpan.FromMinutes(2));
        Assert.True(heartbeatAcks >= 2);
        Assert.Equal(SctpState.Established, link.A.State);
    }

    [Fact]
    public void Stream_reset_is_reported_to_the_peer()
    {
        var link = Established();
        ushort? reset = null;
        link.B.StreamReset += s => reset = s;
        link.A.ResetStream(7);
        Assert.True(link.RunUntil(() => reset is not null, Budget));
        Assert.Equal((ushort)7, reset);
    }

    [Fact]
    public void Corrupted_and_foreign_packets_are_dropped()
    {
        var link = Established();
        var packet = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(packet, 5000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 5000);
        packet[12] = SctpChunkType.Data;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), 16);
        SctpCrc32c.Stamp(packet); // valid CRC but the verification tag is 0
        link.B.HandlePacket(packet);
        packet[20] ^= 1; // now a bad CRC too
        link.B.HandlePacket(packet);
        link.B.HandlePacket([1, 2, 3]);
        Assert.Equal(3, link.B.PacketsDropped);
        Assert.Equal(SctpState.Established, link.B.State);
    }

    [Fact]
    public void Crc32c_matches_the_known_check_value()
    {
        // CRC-32C check value for "123456789" (RFC 3720 appendix B.4 lists the same polynomial).
        Assert.Equal(0xE3069283u, SctpCrc32c.Compute("123456789"u8));
    }
}

using System.Net;
using System.Net.Sockets;
using MediaServer.Rtc.Clock;
using MediaServer.SipBridge.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.SipBridge.Tests.Media;

public sealed class SipMediaLegTests
{
    [Fact]
    public async Task Output_queue_grows_to_the_limit_then_counts_overflow_and_clear_reports_what_was_dropped()
    {
        await using var clock = new MediaClock();
        await using var leg = new SipMediaLeg(IPAddress.Loopback, clock, TimeProvider.System, NullLogger.Instance, _ => ValueTask.CompletedTask, TimeSpan.FromSeconds(5));
        leg.EnqueueOutput(new short[8000 * 3]);
        Assert.Equal(TimeSpan.FromSeconds(3), leg.QueuedOutput);
        leg.EnqueueOutput(new short[8000 * 3]);
        Assert.Equal(TimeSpan.FromSeconds(5), leg.QueuedOutput);
        Assert.Equal(8000, leg.Counters.OutputOverflowSamples);
        Assert.Equal(TimeSpan.FromSeconds(5), leg.ClearOutput());
        Assert.Equal(TimeSpan.Zero, leg.QueuedOutput);
    }

    [Fact]
    public async Task Rtp_ports_come_from_the_configured_range_and_are_even()
    {
        await using var clock = new MediaClock();
        var range = new RtpPortRange(31000, 31010);
        var legs = new List<SipMediaLeg>();
        for (int i = 0; i < 3; i++)
        {
            legs.Add(new SipMediaLeg(IPAddress.Loopback, clock, TimeProvider.System, NullLogger.Instance, _ => ValueTask.CompletedTask, TimeSpan.FromSeconds(1), range));
        }

        Assert.All(legs, l => Assert.InRange(l.LocalEndPoint.Port, 31000, 31010));
        Assert.All(legs, l => Assert.Equal(0, l.LocalEndPoint.Port % 2));
        Assert.Equal(3, legs.Select(l => l.LocalEndPoint.Port).Distinct().Count());
        foreach (var l in legs)
        {
            await l.DisposeAsync();
        }
    }

    [Fact]
    public async Task Dtmf_goes_out_as_rfc4733_events_that_our_receiver_decodes()
    {
        var clock = new MediaClock(new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var leg = new SipMediaLeg(IPAddress.Loopback, clock, TimeProvider.System, NullLogger.Instance, _ => ValueTask.CompletedTask, TimeSpan.FromSeconds(5));
        leg.Configure(new SipAudioNegotiation((IPEndPoint)peer.LocalEndPoint!, 0, "pcmu", 101, SipMediaDirection.SendRecv));
        leg.AllowSending();
        Assert.True(leg.SendDtmf("7#"));
        var receiver = new MediaServer.Rtc.Dtmf.TelephoneEventReceiver();
        var digits = new List<char>();
        byte[] buffer = new byte[1500];
        peer.ReceiveTimeout = 2000;
        for (int tick = 0; tick < 40; tick++)
        {
            leg.OnTick(default);
            int n = peer.Receive(buffer);
            Assert.True(MediaServer.Rtc.Rtp.RtpPacket.TryRead(buffer.AsSpan(0, n), out var packet));
            if (packet.PayloadType == 101)
            {
                var outcome = receiver.Process(packet.Payload, packet.Timestamp, packet.Marker, out var ev);
                if (outcome is MediaServer.Rtc.Dtmf.TelephoneEventOutcome.Ended or MediaServer.Rtc.Dtmf.TelephoneEventOutcome.BeganAndEnded)
                {
                    digits.Add(MediaServer.Rtc.Dtmf.TelephoneEvent.ToDigit(ev.Event));
                }
            }
        }

        Assert.Equal(['7', '#'], digits);
        await clock.DisposeAsync();
    }

    [Fact]
    public async Task Sends_one_packet_per_tick_to_the_sdp_address_then_latches_to_the_real_source()
    {
        var clock = new MediaClock(new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        using var sdpTarget = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sdpTarget.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var realPeer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        realPeer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var leg = new SipMediaLeg(IPAddress.Loopback, clock, TimeProvider.System, NullLogger.Instance, _ => ValueTask.CompletedTask, TimeSpan.FromSeconds(5));
        leg.Configure(new SipAudioNegotiation((IPEndPoint)sdpTarget.LocalEndPoint!, 0, "pcmu", 101, SipMediaDirection.SendRecv));
        leg.Open();
        leg.OnTick(default);
        Assert.Equal(0, leg.Counters.PacketsSent); // nothing leaves before the call is answered
        leg.AllowSending();
        leg.OnTick(default);
        byte[] buffer = new byte[1500];
        sdpTarget.ReceiveTimeout = 2000;
        Assert.Equal(12 + 160, sdpTarget.Receive(buffer));

        // RTP from another address: the leg follows it (symmetric RTP).
        byte[] rtp = new byte[12 + 160];
        rtp[0] = 0x80;
        rtp[8] = 1;
        realPeer.SendTo(rtp, leg.LocalEndPoint);
        for (int i = 0; i < 100 && leg.Counters.Latches == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(realPeer.LocalEndPoint, leg.RemoteEndPoint);
        leg.OnTick(default);
        realPeer.ReceiveTimeout = 2000;
        Assert.Equal(12 + 160, realPeer.Receive(buffer));
        Assert.Equal(2, leg.Counters.PacketsSent);
        await clock.DisposeAsync();
    }
}

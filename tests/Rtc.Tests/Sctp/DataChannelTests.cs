using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.Sctp;

namespace MediaServer.Rtc.Tests.Sctp;

public sealed class DataChannelTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(2);

    private static (SctpLink Link, DataChannelManager Client, DataChannelManager Server) Connected()
    {
        var link = new SctpLink();
        var client = new DataChannelManager(link.A, DtlsRole.Client);
        var server = new DataChannelManager(link.B, DtlsRole.Server);
        link.A.Connect();
        Assert.True(link.RunUntil(() => link.A.State == SctpState.Established && link.B.State == SctpState.Established, Budget));
        return (link, client, server);
    }

    [Fact]
    public void Open_ack_and_messages_both_ways_on_several_channels()
    {
        var (link, client, server) = Connected();
        var opened = new List<string>();
        var atServer = new List<string>();
        var atClient = new List<string>();
        server.ChannelOpened += c => opened.Add("server:" + c.Label + ":" + c.StreamId);
        client.ChannelOpened += c => opened.Add("client:" + c.Label + ":" + c.StreamId);
        server.TextReceived += (c, t) =>
        {
            atServer.Add(c.Label + ":" + t);
            c.SendText("echo " + t);
        };
        client.TextReceived += (c, t) => atClient.Add(c.Label + ":" + t);

        var events = client.Open("oai-events")!;
        var other = client.Open("second")!;
        Assert.Equal((ushort)0, events.StreamId);
        Assert.Equal((ushort)2, other.StreamId);
        Assert.True(link.RunUntil(() => events.State == DataChannelState.Open && other.State == DataChannelState.Open, Budget));
        Assert.Contains("server:oai-events:0", opened);
        Assert.Contains("client:second:2", opened);

        Assert.True(events.SendText("{\"type\":\"session.update\"}"));
        Assert.True(other.SendText(""));
        Assert.True(link.RunUntil(() => atClient.Count == 2, Budget));
        Assert.Contains("oai-events:{\"type\":\"session.update\"}", atServer);
        Assert.Contains("second:", atServer);
        Assert.Contains("oai-events:echo {\"type\":\"session.update\"}", atClient);

        var serverChannel = server.Open("from-server")!;
        Assert.Equal((ushort)1, serverChannel.StreamId);
        Assert.True(link.RunUntil(() => serverChannel.State == DataChannelState.Open, Budget));
        byte[]? binary = null;
        client.BinaryReceived += (_, b) => binary = b;
        Assert.True(serverChannel.SendBinary(new byte[70_000]));
        Assert.True(link.RunUntil(() => binary is not null, Budget));
        Assert.Equal(70_000, binary!.Length);
    }

    [Fact]
    public void Closing_a_channel_resets_the_stream_on_both_sides()
    {
        var (link, client, server) = Connected();
        var events = client.Open("oai-events")!;
        Assert.True(link.RunUntil(() => events.State == DataChannelState.Open && server.Find("oai-events") is not null, Budget));
        DataChannel? closedAtServer = null;
        server.ChannelClosed += c => closedAtServer = c;
        events.Close();
        Assert.True(link.RunUntil(() => closedAtServer is not null && events.State == DataChannelState.Closed, Budget));
        Assert.False(events.SendText("late"));
    }

    [Fact]
    public void Malformed_dcep_and_wrong_parity_are_dropped()
    {
        var (link, _, server) = Connected();
        link.A.Send(0, DataChannelPpid.Dcep, [0x03, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0]);
        link.A.Send(1, DataChannelPpid.Dcep, new DcepOpen(0, 0, 0, "odd", "").ToBytes());
        link.A.Send(4, DataChannelPpid.String, "no channel"u8);
        Assert.True(link.RunUntil(() => server.MessagesDropped == 3, Budget));
        Assert.Empty(server.Channels);
    }

    [Fact]
    public void Dcep_open_round_trips()
    {
        var open = new DcepOpen(0x80, 256, 0, "oai-events", "json");
        Assert.True(DcepOpen.TryParse(open.ToBytes(), out var parsed));
        Assert.Equal(open, parsed);
        Assert.True(parsed.Unordered);
        Assert.False(DcepOpen.TryParse([0x03, 0], out _));
    }
}

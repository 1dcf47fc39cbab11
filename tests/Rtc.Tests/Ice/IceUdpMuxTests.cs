using System.Net;
using System.Net.Sockets;
using MediaServer.Rtc.Ice;
using MediaServer.Rtc.Stun;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Rtc.Tests.Ice;

public sealed class IceUdpMuxTests
{
    private sealed class Recorder : IIceDatagramHandler
    {
        public List<(DatagramKind Kind, byte[] Data)> Received { get; } = [];

        public void OnDatagram(DatagramKind kind, ReadOnlySpan<byte> datagram)
        {
            lock (Received)
            {
                Received.Add((kind, datagram.ToArray()));
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01 }, DatagramKind.Stun)]
    [InlineData(new byte[] { 22, 0xFE }, DatagramKind.Dtls)]
    [InlineData(new byte[] { 0x80, 111 }, DatagramKind.Rtp)]
    [InlineData(new byte[] { 0x81, 200 }, DatagramKind.Rtcp)]
    [InlineData(new byte[] { 0x40, 0 }, DatagramKind.Unknown)]
    [InlineData(new byte[] { 0xFF }, DatagramKind.Unknown)]
    [InlineData(new byte[0], DatagramKind.Unknown)]
    public void Rfc7983_classifier(byte[] datagram, DatagramKind expected) =>
        Assert.Equal(expected, DatagramClassifier.Classify(datagram));

    [Fact]
    public async Task Routes_checks_by_ufrag_and_media_by_validated_address_over_real_udp()
    {
        await using var mux = new IceUdpMux(new IceOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        mux.Start();
        var a = mux.CreateAgent(new IceCredentials("aaaa", "passwordApasswordApassw"), "peerA", "x");
        var b = mux.CreateAgent(new IceCredentials("bbbb", "passwordBpasswordBpassw"), "peerB", "x");
        var recA = new Recorder();
        var recB = new Recorder();
        a.Handler = recA;
        b.Handler = recB;
        Assert.Equal(mux.LocalEndPoint.Port, mux.Candidates[0].EndPoint.Port);

        using var peerA = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var peerB = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        // Garbage and a DTLS record from an unvalidated address are dropped.
        await peerA.SendAsync(new byte[] { 0x55, 1, 2, 3 }, mux.LocalEndPoint, timeout.Token);
        await peerA.SendAsync(new byte[] { 22, 0xFE, 0xFD }, mux.LocalEndPoint, timeout.Token);

        await peerA.SendAsync(StunChecks.Request("aaaa:peerA", "passwordApasswordApassw", useCandidate: true), mux.LocalEndPoint, timeout.Token);
        var response = await peerA.ReceiveAsync(timeout.Token);
        Assert.Equal(StunParseError.None, StunMessage.TryParse(response.Buffer, out var m));
        Assert.Equal(StunMessageType.BindingSuccess, m.Type);
        Assert.Equal(IceConnectionState.Connected, a.State);
        Assert.Equal(IceConnectionState.New, b.State);

        await peerB.SendAsync(StunChecks.Request("bbbb:peerB", "passwordBpasswordBpassw"), mux.LocalEndPoint, timeout.Token);
        await peerB.ReceiveAsync(timeout.Token);
        await peerA.SendAsync(new byte[] { 22, 0xFE, 0xFD, 1 }, mux.LocalEndPoint, timeout.Token);
        await peerB.SendAsync(new byte[] { 0x80, 111, 0, 1 }, mux.LocalEndPoint, timeout.Token);

        // A check for an unknown ufrag goes unanswered.
        await peerB.SendAsync(StunChecks.Request("zzzz:peerB", "passwordBpasswordBpassw"), mux.LocalEndPoint, timeout.Token);

        while (recA.Received.Count < 1 || recB.Received.Count < 1 || mux.DatagramsDropped < 3)
        {
            await Task.Delay(10, timeout.Token);
        }

        Assert.Equal(DatagramKind.Dtls, Assert.Single(recA.Received).Kind);
        Assert.Equal(DatagramKind.Rtp, Assert.Single(recB.Received).Kind);
        Assert.Equal(3, mux.DatagramsDropped);

        // The agent sends back over the shared socket to its nominated address.
        Assert.True(a.Send([0x80, 0, 1, 2]));
        var back = await peerA.ReceiveAsync(timeout.Token);
        Assert.Equal(new byte[] { 0x80, 0, 1, 2 }, back.Buffer);

        a.Close();
        Assert.Equal(1, mux.AgentCount);
    }
}

public sealed class IceCandidateTests
{
    [Fact]
    public async Task A_public_address_is_advertised_first_then_the_configured_ones()
    {
        var options = new IceOptions { PublicAddress = System.Net.IPAddress.Parse("203.0.113.7") };
        options.AdvertisedAddresses.Add(System.Net.IPAddress.Loopback);
        await using var mux = new IceUdpMux(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        mux.Start();
        Assert.Equal(2, mux.Candidates.Count);
        Assert.Equal("203.0.113.7", mux.Candidates[0].EndPoint.Address.ToString());
        Assert.Equal(mux.LocalEndPoint.Port, mux.Candidates[0].EndPoint.Port);
        Assert.True(mux.Candidates[0].Priority > mux.Candidates[1].Priority);
        Assert.EndsWith($"203.0.113.7 {mux.LocalEndPoint.Port} typ host", mux.Candidates[0].ToSdpValue(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_credentials_respect_rfc_8839_lengths_and_characters()
    {
        var c = IceCredentials.Generate();
        Assert.InRange(c.Ufrag.Length, 4, 256);
        Assert.InRange(c.Password.Length, 22, 256);
        Assert.Matches("^[A-Za-z0-9+/]+$", c.Ufrag + c.Password);
        Assert.NotEqual(c, IceCredentials.Generate());
    }
}

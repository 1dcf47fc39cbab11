using System.Net;
using System.Text;
using MediaServer.Rtc.Ice;
using MediaServer.Rtc.Stun;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Rtc.Tests.Ice;

public sealed class IceLiteAgentTests
{
    private sealed class CapturingSender : IDatagramSender
    {
        public List<(byte[] Data, SocketAddress To)> Sent { get; } = [];

        public void Send(ReadOnlySpan<byte> datagram, SocketAddress destination) => Sent.Add((datagram.ToArray(), destination));
    }

    private static readonly IceCredentials Local = new("locU", "localpasswordlocalpassw");
    private readonly FakeTimeProvider _time = new();
    private readonly CapturingSender _sender = new();
    private readonly IceLiteAgent _agent;
    private readonly SocketAddress _peer = new IPEndPoint(IPAddress.Loopback, 50000).Serialize();

    public IceLiteAgentTests()
    {
        _agent = new IceLiteAgent(Local, "remU", "remotepasswordremotepa", _sender, _time, new IceOptions(), NullLogger.Instance);
    }

    private IceCheckOutcome Check(byte[] request, SocketAddress? from = null)
    {
        Assert.Equal(StunParseError.None, StunMessage.TryParse(request, out var m));
        return _agent.HandleStun(m, from ?? _peer);
    }

    [Fact]
    public void Valid_check_is_answered_with_integrity_and_mapped_address()
    {
        Assert.Equal(IceCheckOutcome.Accepted, Check(StunChecks.Request("locU:remU", Local.Password)));
        Assert.Equal(IceConnectionState.Checking, _agent.State);
        var (data, to) = Assert.Single(_sender.Sent);
        Assert.Equal(_peer, to);
        Assert.Equal(StunParseError.None, StunMessage.TryParse(data, out var response));
        Assert.Equal(StunMessageType.BindingSuccess, response.Type);
        Assert.True(response.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Local.Password)));
        Assert.True(response.VerifyFingerprint());
        Assert.True(response.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 50000), mapped);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 50000), _agent.SelectedEndPoint);
    }

    [Fact]
    public void Use_candidate_nominates_and_connects()
    {
        var states = new List<IceConnectionState>();
        _agent.StateChanged += (_, s) => states.Add(s);
        Check(StunChecks.Request("locU:remU", Local.Password));
        Assert.Equal(IceCheckOutcome.Nominated, Check(StunChecks.Request("locU:remU", Local.Password, useCandidate: true)));
        Assert.Equal([IceConnectionState.Checking, IceConnectionState.Connected], states);
        Assert.True(_agent.Send([1, 2, 3]));
    }

    [Fact]
    public void Bad_integrity_gets_401_without_state_change()
    {
        Assert.Equal(IceCheckOutcome.BadIntegrity, Check(StunChecks.Request("locU:remU", "wrongpasswordwrongpassword")));
        Assert.Equal(IceConnectionState.New, _agent.State);
        StunMessage.TryParse(_sender.Sent[0].Data, out var response);
        Assert.Equal(StunMessageType.BindingError, response.Type);
        Assert.True(response.TryGetErrorCode(out int code));
        Assert.Equal(401, code);
        Assert.Null(_agent.SelectedEndPoint);
        Assert.False(_agent.Send([1]));
    }

    [Fact]
    public void Wrong_remote_ufrag_is_refused()
    {
        Assert.Equal(IceCheckOutcome.BadUsername, Check(StunChecks.Request("locU:other", Local.Password)));
        Assert.Equal(1, _agent.ChecksRejected);
    }

    [Fact]
    public void Missing_fingerprint_is_dropped_silently()
    {
        Assert.Equal(IceCheckOutcome.BadFingerprint, Check(StunChecks.Request("locU:remU", Local.Password, fingerprint: false)));
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public void Role_conflict_with_a_controlled_peer_that_wins_gets_487()
    {
        var outcome = Check(StunChecks.Request("locU:remU", Local.Password, roleAttribute: StunAttributeType.IceControlled, tieBreaker: ulong.MaxValue));
        Assert.Equal(IceCheckOutcome.RoleConflict, outcome);
        StunMessage.TryParse(_sender.Sent[0].Data, out var response);
        Assert.True(response.TryGetErrorCode(out int code));
        Assert.Equal(487, code);
        Assert.Equal(IceRole.Controlled, _agent.Role);
    }

    [Fact]
    public void Role_conflict_with_a_controlled_peer_that_loses_makes_us_controlling()
    {
        var outcome = Check(StunChecks.Request("locU:remU", Local.Password, roleAttribute: StunAttributeType.IceControlled, tieBreaker: 0));
        Assert.Equal(IceCheckOutcome.Nominated, outcome);
        Assert.Equal(IceRole.Controlling, _agent.Role);
        Assert.Equal(IceConnectionState.Connected, _agent.State);
    }

    [Fact]
    public void Consent_expires_after_30_seconds_without_checks()
    {
        Check(StunChecks.Request("locU:remU", Local.Password, useCandidate: true));
        _time.Advance(TimeSpan.FromSeconds(20));
        _agent.Tick();
        Assert.Equal(IceConnectionState.Connected, _agent.State);
        Check(StunChecks.Request("locU:remU", Local.Password));
        _time.Advance(TimeSpan.FromSeconds(29));
        _agent.Tick();
        Assert.Equal(IceConnectionState.Connected, _agent.State);
        _time.Advance(TimeSpan.FromSeconds(2));
        _agent.Tick();
        Assert.Equal(IceConnectionState.Failed, _agent.State);
        Assert.Contains("consent", _agent.FailureReason, StringComparison.Ordinal);
        Assert.False(_agent.Send([1]));
    }

    [Fact]
    public void Agent_that_never_gets_a_check_fails_after_the_connect_timeout()
    {
        _time.Advance(TimeSpan.FromSeconds(31));
        _agent.Tick();
        Assert.Equal(IceConnectionState.Failed, _agent.State);
    }

    [Fact]
    public void After_nomination_a_check_from_another_address_does_not_move_the_path()
    {
        Check(StunChecks.Request("locU:remU", Local.Password, useCandidate: true));
        var other = new IPEndPoint(IPAddress.Loopback, 50001).Serialize();
        Check(StunChecks.Request("locU:remU", Local.Password), other);
        Assert.Equal(50000, _agent.SelectedEndPoint!.Port);
        Check(StunChecks.Request("locU:remU", Local.Password, useCandidate: true), other);
        Assert.Equal(50001, _agent.SelectedEndPoint!.Port);
    }
}

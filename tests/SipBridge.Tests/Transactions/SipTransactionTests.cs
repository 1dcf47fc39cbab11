using System.Net;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transactions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.SipBridge.Tests.Transactions;

/// <summary>RFC 3261 §17 state machines driven by a fake clock over an in-memory UDP transport.</summary>
public sealed class SipTransactionTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("127.0.0.1"), 5070);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeSipTransport _udp = new();
    private readonly SipStack _stack;
    private readonly RecordingCore _core = new();

    public SipTransactionTests()
    {
        _stack = new SipStack(_time, new SipTimerOptions(), SipParserLimits.Default, NullLogger.Instance);
        _stack.AddTransport(_udp);
        _stack.SetCore(_core);
    }

    private static string Request(string method, string branch = "z9hG4bKa1", int cseq = 1, string cseqMethod = "") =>
        $"{method} sip:agent@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch={branch};rport\nFrom: <sip:c@127.0.0.1>;tag=f1\n" +
        $"To: <sip:agent@127.0.0.1>\nCall-ID: call-1\nCSeq: {cseq} {(cseqMethod.Length > 0 ? cseqMethod : method)}\nMax-Forwards: 70\nContent-Length: 0\n\n";

    [Fact]
    public void Non_invite_server_absorbs_retransmissions_and_lingers_for_timer_j()
    {
        _core.Respond = tx => tx.Respond(200);
        _udp.Inject(Request("OPTIONS"), Peer);
        _udp.Inject(Request("OPTIONS"), Peer);
        Assert.Single(_core.Requests);
        Assert.Equal(2, _udp.SentResponses().Count(r => r.StatusCode == 200));
        Assert.Equal(1, _stack.Counters.RetransmissionsAbsorbed);
        _time.Advance(TimeSpan.FromSeconds(31.9));
        Assert.Equal(1, _stack.ServerTransactionCount);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(0, _stack.ServerTransactionCount);
    }

    [Fact]
    public void Rport_and_received_are_set_and_the_response_goes_to_the_source_port()
    {
        _core.Respond = tx => tx.Respond(200);
        var natted = new IPEndPoint(IPAddress.Parse("127.0.0.2"), 40000);
        _udp.Inject(Request("OPTIONS"), natted);
        var (bytes, remote) = _udp.Sent.Single();
        Assert.Equal(natted, remote);
        Assert.True(SipParser.TryParse(bytes, out var m, out _));
        Assert.Equal("127.0.0.2", m!.TopVia!.Parameters.Get("received"));
        Assert.Equal("40000", m.TopVia.Parameters.Get("rport"));
    }

    [Fact]
    public void Invite_error_response_is_retransmitted_on_timer_g_until_ack_then_timer_i()
    {
        _core.Respond = tx => tx.Respond(486);
        _udp.Inject(Request("INVITE"), Peer);
        Assert.Single(_udp.SentResponses());
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, _udp.SentResponses().Count);
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.Equal(3, _udp.SentResponses().Count);
        _time.Advance(TimeSpan.FromMilliseconds(2000));
        Assert.Equal(4, _udp.SentResponses().Count);
        _time.Advance(TimeSpan.FromMilliseconds(4000));
        Assert.Equal(5, _udp.SentResponses().Count);
        _time.Advance(TimeSpan.FromMilliseconds(4000)); // capped at T2
        Assert.Equal(6, _udp.SentResponses().Count);
        _udp.Inject(Request("ACK", cseqMethod: "ACK"), Peer);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(6, _udp.SentResponses().Count);
        Assert.Equal(1, _stack.ServerTransactionCount);
        _time.Advance(TimeSpan.FromSeconds(1.1)); // timer I = T4
        Assert.Equal(0, _stack.ServerTransactionCount);
        Assert.Empty(_core.Acks); // ACK for a non-2xx stays in the transaction layer
    }

    [Fact]
    public void Invite_without_ack_times_out_on_timer_h()
    {
        SipServerTransaction? timedOut = null;
        _core.Respond = tx =>
        {
            tx.AckTimedOut = t => timedOut = t;
            tx.Respond(603);
        };
        _udp.Inject(Request("INVITE"), Peer);
        _time.Advance(TimeSpan.FromSeconds(32.1));
        Assert.NotNull(timedOut);
        Assert.Equal(0, _stack.ServerTransactionCount);
    }

    [Fact]
    public void Invite_2xx_is_retransmitted_until_the_ack_with_its_own_branch()
    {
        _core.Respond = tx => tx.Respond(200, toTag: "t1");
        _udp.Inject(Request("INVITE"), Peer);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.Equal(3, _udp.SentResponses().Count(r => r.StatusCode == 200));
        _udp.Inject(Request("ACK", branch: "z9hG4bKother", cseqMethod: "ACK"), Peer);
        Assert.Single(_core.Acks);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, _udp.SentResponses().Count(r => r.StatusCode == 200));
    }

    [Fact]
    public void Non_invite_client_retransmits_on_timer_e_and_times_out_on_timer_f()
    {
        var responses = new List<SipResponse>();
        var request = new SipRequest { Method = "OPTIONS", Uri = SipUri.Create("x", "127.0.0.1", 5070) };
        request.Headers.Add("From", "<sip:a@127.0.0.1>;tag=1");
        request.Headers.Add("To", "<sip:x@127.0.0.1>");
        request.Headers.Add("Call-ID", "c2");
        request.Headers.Add("CSeq", "1 OPTIONS");
        _stack.SendRequest(request, new SipRemote(_udp, Peer), responses.Add);
        var expectedGaps = new[] { 500, 1000, 2000, 4000, 4000, 4000 };
        int sent = 1;
        foreach (int gap in expectedGaps)
        {
            _time.Advance(TimeSpan.FromMilliseconds(gap - 1));
            Assert.Equal(sent, _udp.Sent.Count);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(++sent, _udp.Sent.Count);
        }

        _time.Advance(TimeSpan.FromSeconds(32));
        Assert.Equal(408, Assert.Single(responses).StatusCode);
        Assert.Equal(0, _stack.ClientTransactionCount);
    }

    [Fact]
    public void Invite_client_acks_a_failure_with_the_same_branch()
    {
        var responses = new List<SipResponse>();
        var request = new SipRequest { Method = "INVITE", Uri = SipUri.Create("x", "127.0.0.1", 5070) };
        request.Headers.Add("From", "<sip:a@127.0.0.1>;tag=1");
        request.Headers.Add("To", "<sip:x@127.0.0.1>");
        request.Headers.Add("Call-ID", "c3");
        request.Headers.Add("CSeq", "1 INVITE");
        _stack.SendRequest(request, new SipRemote(_udp, Peer), responses.Add);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.Equal(3, _udp.SentRequests().Count(r => r.Method == "INVITE")); // timer A doubles
        string branch = request.TopVia!.Branch!;
        _udp.Inject($"SIP/2.0 486 Busy Here\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch={branch}\nFrom: <sip:a@127.0.0.1>;tag=1\nTo: <sip:x@127.0.0.1>;tag=b\nCall-ID: c3\nCSeq: 1 INVITE\nContent-Length: 0\n\n", Peer);
        var ack = Assert.Single(_udp.SentRequests(), r => r.Method == "ACK");
        Assert.Equal(branch, ack.TopVia!.Branch);
        Assert.Equal("b", ack.To!.Tag);
        Assert.Equal(486, Assert.Single(responses).StatusCode);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(3, _udp.SentRequests().Count(r => r.Method == "INVITE"));
    }

    [Fact]
    public void Malformed_requests_get_400_with_a_reason_and_bad_responses_are_dropped()
    {
        _udp.Inject(Request("OPTIONS", cseqMethod: "INVITE"), Peer);
        var r = Assert.Single(_udp.SentResponses());
        Assert.Equal(400, r.StatusCode);
        Assert.Contains("CSeq Method Mismatch", r.ReasonPhrase, StringComparison.Ordinal);
        _udp.Inject("SIP/2.0 9999 nope\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n\n", Peer);
        Assert.Single(_udp.Sent);
        Assert.Equal(1, _stack.Counters.Rejected);
        Assert.Equal(1, _stack.Counters.Dropped);
        Assert.Empty(_core.Requests);
    }

    [Fact]
    public void Source_filter_drops_silently()
    {
        _stack.SourceFilter = a => IPAddress.IsLoopback(a);
        _udp.Inject(Request("OPTIONS"), new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5060));
        Assert.Empty(_udp.Sent);
        Assert.Empty(_core.Requests);
    }

    private sealed class RecordingCore : ISipCore
    {
        public List<SipServerTransaction> Requests { get; } = [];

        public List<SipRequest> Acks { get; } = [];

        public Action<SipServerTransaction>? Respond { get; set; }

        public void OnRequest(SipServerTransaction transaction)
        {
            Requests.Add(transaction);
            Respond?.Invoke(transaction);
        }

        public void OnAck(SipRequest ack, SipRemote remote) => Acks.Add(ack);

        public void OnStrayResponse(SipResponse response, SipRemote remote)
        {
        }
    }
}

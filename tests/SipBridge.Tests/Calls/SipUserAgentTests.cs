using System.Net;
using System.Text;
using MediaServer.Rtc.Clock;
using MediaServer.SipBridge.Calls;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transactions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.SipBridge.Tests.Calls;

/// <summary>The UAS core over an in-memory transport and a fake clock: call flows message by message.</summary>
public sealed class SipUserAgentTests : IAsyncLifetime
{
    private static readonly IPEndPoint Peer = new(IPAddress.Loopback, 5070);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeSipTransport _udp = new();
    private readonly SipStack _stack;
    private readonly SipUserAgent _ua;
    private readonly MediaClock _clock;
    private readonly List<SipCall> _calls = [];
    private readonly SemaphoreSlim _callArrived = new(0);

    public SipUserAgentTests()
    {
        _stack = new SipStack(_time, new SipTimerOptions(), SipParserLimits.Default, NullLogger.Instance);
        _clock = new MediaClock(_time);
        _ua = new SipUserAgent(_stack, new SipOptions(), _clock, NullLoggerFactory.Instance);
        _stack.AddTransport(_udp);
        _stack.SetCore(_ua);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var c in _calls)
        {
            await c.Media.DisposeAsync();
        }

        await _clock.DisposeAsync();
    }

    private void HandleCalls() => _ua.IncomingCall += call =>
    {
        lock (_calls)
        {
            _calls.Add(call);
        }

        _callArrived.Release();
    };

    private static string Sdp(string direction = "sendrecv", string formats = "8 0 101") =>
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        $"m=audio 40000 RTP/AVP {formats}\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na={direction}\r\n";

    private static string Request(string method, int cseq, string? toTag = null, string body = "", string extra = "", string branch = "")
    {
        string b = branch.Length > 0 ? branch : "z9hG4bK" + method + cseq;
        string to = toTag is null ? "<sip:agent@127.0.0.1>" : $"<sip:agent@127.0.0.1>;tag={toTag}";
        string ct = body.Length > 0 ? (method == "INFO" ? "Content-Type: application/dtmf-relay\n" : "Content-Type: application/sdp\n") : string.Empty;
        return $"{method} sip:agent@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch={b};rport\nFrom: <sip:caller@127.0.0.1>;tag=c1\n" +
               $"To: {to}\nCall-ID: ua-test-1\nCSeq: {cseq} {(method == "ACK" || method == "CANCEL" ? method : method)}\nContact: <sip:caller@127.0.0.1:5070>\nMax-Forwards: 70\n{extra}{ct}" +
               $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\n\n{body}";
    }

    private void Send(string text) => _udp.Inject(text.Replace("\r\n", "\n", StringComparison.Ordinal), Peer);

    private async Task<SipCall> RingAsync(string extra = "")
    {
        HandleCalls();
        Send(Request("INVITE", 1, body: Sdp(), extra: extra));
        Assert.True(await _callArrived.WaitAsync(TimeSpan.FromSeconds(5)));
        return _calls[0];
    }

    private async Task<(SipCall Call, string Tag)> AnswerAsync(string extra = "")
    {
        var call = await RingAsync(extra);
        var accepted = call.AcceptAsync();
        var ok = _udp.SentResponses().Last(r => r.StatusCode == 200);
        string tag = ok.To!.Tag!;
        Send(Request("ACK", 1, tag, branch: "z9hG4bKack1"));
        await accepted.WaitAsync(TimeSpan.FromSeconds(5));
        return (call, tag);
    }

    [Fact]
    public void Options_outside_a_dialog_gets_200_with_allow()
    {
        Send(Request("OPTIONS", 1));
        var r = Assert.Single(_udp.SentResponses());
        Assert.Equal(200, r.StatusCode);
        Assert.Contains("INVITE", r.Headers[SipHeaderNames.Allow], StringComparison.Ordinal);
        Assert.NotNull(r.To!.Tag);
    }

    [Fact]
    public async Task Draining_answers_new_invites_and_options_503_while_the_live_call_goes_on()
    {
        var (call, tag) = await AnswerAsync();
        _ua.Draining = true;
        int before = _udp.SentResponses().Count;
        Send(Request("OPTIONS", 7, branch: "z9hG4bKprobe"));
        Send(Request("INVITE", 8, body: Sdp(), branch: "z9hG4bKnew"));
        var refused = _udp.SentResponses().Skip(before).Where(r => r.StatusCode >= 200).ToList();
        Assert.Equal([503, 503], refused.Select(r => r.StatusCode));
        Assert.All(refused, r => Assert.Equal("30", r.Headers["Retry-After"]));
        Assert.Single(_calls);

        Send(Request("BYE", 2, tag, branch: "z9hG4bKbye"));
        Assert.Equal(200, _udp.SentResponses().Last().StatusCode);
        Assert.Equal("remote_hangup", await call.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Invite_without_an_application_is_answered_480()
    {
        Send(Request("INVITE", 1, body: Sdp()));
        Assert.Equal([100, 480], _udp.SentResponses().Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Invite_rings_then_accept_answers_with_the_offerers_first_codec()
    {
        var call = await RingAsync();
        Assert.Equal([100, 180], _udp.SentResponses().Select(r => r.StatusCode));
        Assert.Equal(SipCallState.Ringing, call.State);
        var accepted = call.AcceptAsync();
        var ok = _udp.SentResponses().Last();
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("application/sdp", ok.ContentType);
        string sdp = ok.BodyText;
        Assert.Contains($"m=audio {call.Media.LocalEndPoint.Port} RTP/AVP 8 101", sdp, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:8 PCMA/8000", sdp, StringComparison.Ordinal);
        Assert.Contains("a=sendrecv", sdp, StringComparison.Ordinal);
        Assert.Equal("pcma", call.Media.Codec);
        Assert.False(accepted.IsCompleted);
        Send(Request("ACK", 1, ok.To!.Tag, branch: "z9hG4bKack1"));
        await accepted.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SipCallState.Active, call.State);
    }

    [Fact]
    public async Task Early_media_sends_183_with_the_answer_before_accept()
    {
        await using var stack2 = new SipStack(_time, new SipTimerOptions(), SipParserLimits.Default, NullLogger.Instance);
        var udp = new FakeSipTransport();
        var ua = new SipUserAgent(stack2, new SipOptions { EarlyMedia = true }, _clock, NullLoggerFactory.Instance);
        stack2.AddTransport(udp);
        stack2.SetCore(ua);
        var arrived = new TaskCompletionSource<SipCall>();
        ua.IncomingCall += c => arrived.TrySetResult(c);
        udp.Inject(Request("INVITE", 1, body: Sdp()).Replace("\r\n", "\n", StringComparison.Ordinal), Peer);
        var call = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var progress = udp.SentResponses().Last();
        Assert.Equal(183, progress.StatusCode);
        Assert.Contains("m=audio", progress.BodyText, StringComparison.Ordinal);
        call.Reject(486);
        await call.Media.DisposeAsync();
    }

    [Fact]
    public async Task Calls_beyond_the_limit_get_503_with_retry_after()
    {
        await using var stack2 = new SipStack(_time, new SipTimerOptions(), SipParserLimits.Default, NullLogger.Instance);
        var udp = new FakeSipTransport();
        var ua = new SipUserAgent(stack2, new SipOptions { MaxConcurrentCalls = 1 }, _clock, NullLoggerFactory.Instance);
        stack2.AddTransport(udp);
        stack2.SetCore(ua);
        var calls = new List<SipCall>();
        ua.IncomingCall += c =>
        {
            lock (calls)
            {
                calls.Add(c);
            }
        };
        udp.Inject(Request("INVITE", 1, body: Sdp()), Peer);
        udp.Inject(Request("INVITE", 1, body: Sdp(), branch: "z9hG4bKsecond").Replace("ua-test-1", "ua-test-2", StringComparison.Ordinal), Peer);
        var last = udp.SentResponses().Last();
        Assert.Equal(503, last.StatusCode);
        Assert.Equal("5", last.Headers["Retry-After"]);
        Assert.Single(ua.Calls);
        await ua.Calls[0].Media.DisposeAsync();
    }

    [Fact]
    public async Task A_source_over_its_calls_per_second_gets_503_while_other_sources_are_served()
    {
        await using var stack2 = new SipStack(_time, new SipTimerOptions(), SipParserLimits.Default, NullLogger.Instance);
        var udp = new FakeSipTransport();
        var ua = new SipUserAgent(stack2, new SipOptions { MaxCallsPerSecondPerSource = 2 }, _clock, NullLoggerFactory.Instance);
        stack2.AddTransport(udp);
        stack2.SetCore(ua);
        ua.IncomingCall += _ => { };
        var flooder = new IPEndPoint(IPAddress.Parse("127.0.0.9"), 5080);
        var other = new IPEndPoint(IPAddress.Parse("127.0.0.10"), 5080);
        string Invite(int n) => Request("INVITE", 1, body: Sdp(), branch: $"z9hG4bKflood{n}").Replace("ua-test-1", $"ua-flood-{n}", StringComparison.Ordinal);

        for (int n = 0; n < 5; n++)
        {
            udp.Inject(Invite(n), flooder);
        }

        var finals = udp.SentResponses().Where(r => r.StatusCode >= 180).ToList();
        Assert.Equal(2, finals.Count(r => r.StatusCode == 180));
        var refused = finals.Where(r => r.StatusCode == 503).ToList();
        Assert.Equal(3, refused.Count);
        Assert.All(refused, r => Assert.Equal("1", r.Headers["Retry-After"]));

        // Another address is not affected by the flood.
        udp.Inject(Invite(10), other);
        Assert.Equal(180, udp.SentResponses().Last().StatusCode);

        // After a second the flooder's allowance is back.
        _time.Advance(TimeSpan.FromSeconds(1));
        udp.Inject(Invite(11), flooder);
        Assert.Equal(180, udp.SentResponses().Last().StatusCode);
        foreach (var call in ua.Calls)
        {
            await call.Media.DisposeAsync();
        }
    }

    [Fact]
    public void No_common_codec_is_488()
    {
        HandleCalls();
        Send(Request("INVITE", 1, body: Sdp(formats: "18")));
        Assert.Equal(488, _udp.SentResponses().Last().StatusCode);
    }

    [Fact]
    public void Session_interval_below_min_se_is_422_with_min_se()
    {
        HandleCalls();
        Send(Request("INVITE", 1, body: Sdp(), extra: "Session-Expires: 30\nSupported: timer\n"));
        var r = _udp.SentResponses().Last();
        Assert.Equal(422, r.StatusCode);
        Assert.Equal("90", r.Headers[SipHeaderNames.MinSE]);
    }

    [Fact]
    public async Task Session_timer_refreshed_by_the_uac_ends_the_call_when_no_refresh_comes()
    {
        var (call, tag) = await AnswerAsync("Session-Expires: 120;refresher=uac\nSupported: timer\n");
        var ok = _udp.SentResponses().Last(r => r.StatusCode == 200);
        Assert.Equal("120;refresher=uac", ok.Headers[SipHeaderNames.SessionExpires]);
        _time.Advance(TimeSpan.FromSeconds(60));
        Send(Request("UPDATE", 2, tag, extra: "Session-Expires: 120;refresher=uac\n"));
        _time.Advance(TimeSpan.FromSeconds(80)); // 140 s after answer, 80 s after the refresh: still alive
        Assert.Equal(SipCallState.Active, call.State);
        _time.Advance(TimeSpan.FromSeconds(10)); // 90 s after refresh > 120 - 32
        Assert.Equal("session_expired", await call.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains(_udp.SentRequests(), r => r.Method == "BYE");
    }

    [Fact]
    public async Task Bye_from_the_caller_ends_the_call_and_a_late_bye_gets_481()
    {
        var (call, tag) = await AnswerAsync();
        Send(Request("BYE", 2, tag));
        Assert.Equal(200, _udp.SentResponses().Last().StatusCode);
        Assert.Equal("remote_hangup", await call.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Send(Request("BYE", 3, tag));
        Assert.Equal(481, _udp.SentResponses().Last().StatusCode);
    }

    [Fact]
    public async Task Hangup_sends_bye_in_the_dialog()
    {
        var (call, tag) = await AnswerAsync();
        await call.HangUpAsync();
        var bye = _udp.SentRequests().Single(r => r.Method == "BYE");
        Assert.Equal(tag, bye.From!.Tag);
        Assert.Equal("c1", bye.To!.Tag);
        Assert.Equal("ua-test-1", bye.CallId);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5070), _udp.Sent.Last().Remote);
    }

    [Fact]
    public async Task Reinvite_sendonly_is_answered_recvonly_and_out_of_order_cseq_is_500()
    {
        var (call, tag) = await AnswerAsync();
        Send(Request("INVITE", 2, tag, body: Sdp("sendonly"), branch: "z9hG4bKre2"));
        var ok = _udp.SentResponses().Last();
        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("a=recvonly", ok.BodyText, StringComparison.Ordinal);
        Assert.True(call.IsOnHold);
        Assert.False(call.Media.SendEnabled);
        Send(Request("ACK", 2, tag, branch: "z9hG4bKack2"));
        Send(Request("INFO", 1, tag, body: "Signal=5\r\nDuration=160\r\n"));
        Assert.Equal(500, _udp.SentResponses().Last().StatusCode);
    }

    [Fact]
    public async Task Info_dtmf_relay_reaches_the_sink()
    {
        var (call, tag) = await AnswerAsync();
        var sink = new Sipp.RecordingSink();
        call.Media.Start(sink);
        Send(Request("INFO", 2, tag, body: "Signal=#\r\nDuration=160\r\n"));
        Assert.Equal(200, _udp.SentResponses().Last().StatusCode);
        for (int i = 0; i < 100 && sink.Digits().Length == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal("#", sink.Digits());
    }

    [Theory]
    [InlineData("application/dtmf-relay", "Signal=5\r\nDuration=100", '5')]
    [InlineData("application/dtmf-relay", "Signal= 11\r\n", '#')]
    [InlineData("application/dtmf", "*", '*')]
    [InlineData("application/dtmf", "d", 'D')]
    public void Info_bodies_are_read(string type, string body, char digit)
    {
        Assert.True(SipDtmfInfo.TryRead(type, body, out char got));
        Assert.Equal(digit, got);
        Assert.False(SipDtmfInfo.TryRead("text/plain", body, out _));
    }

    [Fact]
    public async Task Cancel_while_ringing_gives_200_and_487()
    {
        var call = await RingAsync();
        Send(Request("CANCEL", 1, branch: "z9hG4bKINVITE1"));
        var codes = _udp.SentResponses().Select(r => (r.StatusCode, r.CSeq.Method)).ToList();
        Assert.Contains((200, "CANCEL"), codes);
        Assert.Contains((487, "INVITE"), codes);
        Assert.Equal("cancelled", await call.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Throws<InvalidOperationException>(() => call.Reject());
    }

    [Fact]
    public async Task Reject_sends_the_chosen_code()
    {
        var call = await RingAsync();
        call.Reject(486);
        Assert.Equal(486, _udp.SentResponses().Last().StatusCode);
        Assert.Equal("rejected", await call.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Unanswered_call_times_out_with_480()
    {
        var call = await RingAsync();
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(480, _udp.SentResponses().Last().StatusCode);
        Assert.Equal("ring_timeout", await call.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Rfc4475_corpus_through_the_stack_gets_the_expected_responses_and_options_still_work()
    {
        var outcomes = new List<string>();
        foreach (string line in File.ReadAllLines(Path.Combine(SipTestData.Rfc4475, "expected.txt")).Where(l => !l.StartsWith('#') && l.Trim().Length > 0))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int before = _udp.Sent.Count;
            _stack.OnReceived(_udp, Peer, File.ReadAllBytes(Path.Combine(SipTestData.Rfc4475, f[0] + ".dat")));
            // Status line only: a 400 copies the offending headers (bad Via, missing From), so it need not pass validation.
            var sent = _udp.Sent.Skip(before).Select(s => Encoding.UTF8.GetString(s.Bytes).Split("\r\n")[0]).ToList();
            Assert.All(sent, l => Assert.StartsWith("SIP/2.0 ", l, StringComparison.Ordinal));
            int final = sent.Select(l => int.Parse(l.AsSpan(8, 3), System.Globalization.CultureInfo.InvariantCulture)).LastOrDefault();
            int expected = f[2] switch
            {
                "accept" when f[3] == "-" => 0, // responses: nothing to answer
                "accept" when f[3] == "0" => f[0] switch { "wsinv" => 481, "esc01" or "longreq" or "inv2543" => 480, _ => 200 }, // wsinv has a To tag (no such dialog); INVITEs without an app get 480
                "accept" => int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture),
                _ when f[2].StartsWith("drop", StringComparison.Ordinal) => 0,
                _ => int.Parse(f[2].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture),
            };
            outcomes.Add($"{f[0]}:{final}");
            Assert.True(expected == final, $"{f[0]}: expected {expected}, got {final}");
        }

        int beforeOptions = _udp.Sent.Count;
        Send(Request("OPTIONS", 99));
        Assert.True(SipParser.TryParse(_udp.Sent[beforeOptions].Bytes, out var options, out _));
        Assert.Equal(200, ((SipResponse)options!).StatusCode);
        Assert.Equal(49, outcomes.Count);
    }
}

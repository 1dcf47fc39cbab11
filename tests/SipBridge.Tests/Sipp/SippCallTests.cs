using System.Collections.Concurrent;
using System.Net;
using MediaServer.SipBridge.Calls;

namespace MediaServer.SipBridge.Tests.Sipp;

/// <summary>
/// Calls from the real SIPp into <see cref="SipServer"/> on loopback: OPTIONS, a G.711 speech call, CANCEL before
/// answer, re-INVITE hold/unhold, RFC 4733 DTMF from SIPp's bundled captures, REFER with NOTIFY progress.
/// </summary>
[Trait("Category", "Interop")]
public sealed class SippCallTests : IAsyncLifetime
{
    private readonly string _recordings = Path.Combine(Path.GetTempPath(), "sip-rec-" + Guid.NewGuid().ToString("N"));
    private readonly SipServer _server;

    public SippCallTests() => _server = new(new SipOptions { Port = 0, RecordingDirectory = _recordings });
    private readonly ConcurrentQueue<SipCall> _calls = new();
    private Func<SipCall, Task>? _onCall;

    public async Task InitializeAsync()
    {
        _server.IncomingCall += call =>
        {
            _calls.Enqueue(call);
            _ = _onCall?.Invoke(call);
        };
        await _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(_recordings))
        {
            Directory.Delete(_recordings, recursive: true);
        }
    }

    private IPEndPoint Udp => _server.UdpEndPoint!;

    /// <summary>The one call of the test (the incoming-call event runs on the thread pool, so it may trail SIPp's exit).</summary>
    private async Task<SipCall> SingleCallAsync()
    {
        for (int i = 0; i < 100 && _calls.IsEmpty; i++)
        {
            await Task.Delay(50);
        }

        return Assert.Single(_calls);
    }

    [Fact]
    public async Task Options_ping_is_answered_over_udp_and_tcp()
    {
        var (code, output) = await SippRunner.RunAsync(SipTestData.Scenario("options.xml"), Udp);
        Assert.True(code == 0, output);
        (code, output) = await SippRunner.RunAsync(SipTestData.Scenario("options.xml"), _server.TcpEndPoint!, transport: "t1");
        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task Basic_call_carries_caller_speech_in_and_agent_audio_out_then_bye()
    {
        var sink = new RecordingSink();
        short[] tone = AudioFixtures.Tone(1000, TimeSpan.FromSeconds(1));
        _onCall = async call =>
        {
            call.Media.Start(sink);
            await call.AcceptAsync();
            await Task.Delay(300);
            call.Media.EnqueueOutput(tone);
        };
        var keys = new Dictionary<string, string> { ["ulaw_file"] = AudioFixtures.UlawPath, ["call_ms"] = "4500", ["loops"] = "1" };
        var (code, output) = await SippRunner.RunAsync(SipTestData.Scenario("basic_call.xml"), Udp, keys, rtpEcho: true);
        Assert.True(code == 0, output);

        var call = await SingleCallAsync();
        Assert.Equal("remote_hangup", await sink.Ended.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.StartsWith("rtc_", call.CallId, StringComparison.Ordinal);
        Assert.Equal(36, call.CallId.Length);
        Assert.Contains(call.SipHeaders, h => h.Key == "Subject" && h.Value == "basic");
        Assert.Equal("pcmu", call.Media.Codec);

        // Caller audio: non-silent, and its loudest 100 ms windows match what SIPp streamed.
        short[] received = sink.Samples();
        Assert.True(AudioFixtures.Rms(received) > 200, "received audio is silent");
        double correlation = AudioFixtures.BestCorrelation(AudioFixtures.Reference, received, out int lag);
        Assert.True(correlation > 0.9, $"correlation {correlation:F3} at lag {lag}");

        // Agent audio: the tone went out paced (one packet per 20 ms frame) and SIPp's RTP echo brought it back.
        Assert.True(call.Media.Counters.AgentFramesSent >= 49, $"agent frames {call.Media.Counters.AgentFramesSent}");
        Assert.True(call.Media.Counters.LoopedAudioPackets >= 25, $"echoed audible packets {call.Media.Counters.LoopedAudioPackets}");
        Assert.Equal(0, call.Media.Counters.OutputOverflowSamples);

        // The call recording: caller channel matches what SIPp sent; agent channel holds the tone, aligned in time.
        var (left, right) = WavFile.ReadStereo(Path.Combine(_recordings, call.CallId + ".wav"));
        Assert.Equal(left.Length, right.Length);
        double recorded = AudioFixtures.BestCorrelation(AudioFixtures.Reference, left, out _);
        Assert.True(recorded > 0.9, $"recording caller-channel correlation {recorded:F3}");
        Assert.True(AudioFixtures.Rms(right) > 1000, "agent channel is silent");
        Assert.True(WavFile.FirstLoudSample(right) > 0, "agent channel starts loud");
    }

    [Fact]
    public async Task Cancel_before_answer_gets_487_and_ends_the_call()
    {
        var (code, output) = await SippRunner.RunAsync(SipTestData.Scenario("cancel.xml"), Udp);
        Assert.True(code == 0, output);
        var call = await SingleCallAsync();
        Assert.Equal("cancelled", await call.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Reinvite_hold_answers_recvonly_stops_sending_and_unhold_resumes()
    {
        var sink = new RecordingSink();
        var heldStates = new ConcurrentQueue<(bool OnHold, bool Sending)>();
        _onCall = async call =>
        {
            call.Media.Start(sink);
            await call.AcceptAsync();
            while (call.State != SipCallState.Ended)
            {
                heldStates.Enqueue((call.IsOnHold, call.Media.SendEnabled));
                await Task.Delay(50);
            }
        };
        var (code, output) = await SippRunner.RunAsync(SipTestData.Scenario("hold.xml"), Udp, new Dictionary<string, string> { ["hold_ms"] = "1000" });
        Assert.True(code == 0, output);
        var call = await SingleCallAsync();
        Assert.Equal("remote_hangup", await call.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains((true, false), heldStates);
        Assert.Contains((false, true), heldStates);
    }

    [Fact]
    public async Task Rfc4733_dtmf_from_sipp_reaches_the_sink()
    {
        var sink = new RecordingSink();
        _onCall = async call =>
        {
            call.Media.Start(sink);
            await call.AcceptAsync();
        };
        var keys = new Dictionary<string, string> { ["dtmf_pcap"] = "/usr/share/sip-tester/dtmf_2833_1.pcap" };
        var (code, output) = await SippRunner.RunAsync(SipTestData.Scenario("dtmf.xml"), Udp, keys);
        Assert.True(code == 0, output);
        await sink.Ended.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("1", sink.Digits());
    }

    [Fact]
    public async Task Call_over_tcp_with_dtmf_and_bye()
    {
        var sink = new RecordingSink();
        _onCall = async call =>
        {
            call.Media.Start(sink);
            await call.AcceptAsync();
        };
        var keys = new Dictionary<string, string> { ["dtmf_pcap"] = "/usr/share/sip-tester/dtmf_2833_pound.pcap" };
        var (code, output) = await SippRunner.RunAsync(SipTestData.Scenario("dtmf.xml"), _server.TcpEndPoint!, keys, transport: "t1");
        Assert.True(code == 0, output);
        Assert.Equal("remote_hangup", await sink.Ended.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("#", sink.Digits());
        Assert.Contains((await SingleCallAsync()).SipHeaders, h => h.Key == "Via" && h.Value.Contains("TCP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_the_server_sends_bye_to_live_calls()
    {
        var answered = new TaskCompletionSource();
        _onCall = async call =>
        {
            await call.AcceptAsync();
            answered.TrySetResult();
        };
        var sipp = SippRunner.RunAsync(SipTestData.Scenario("bye_from_server.xml"), Udp);
        await answered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await _server.StopAsync(CancellationToken.None);
        var (code, output) = await sipp;
        Assert.True(code == 0, output);
        Assert.Equal("server_shutdown", await (await SingleCallAsync()).Completion.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Refer_is_accepted_by_sipp_notify_progress_is_followed_and_we_hang_up()
    {
        var result = new TaskCompletionSource<int>();
        _onCall = async call =>
        {
            await call.AcceptAsync();
            result.TrySetResult(await call.ReferAsync("sip:transfer-target@127.0.0.1:5099"));
        };
        var (code, output) = await SippRunner.RunAsync(SipTestData.Scenario("refer.xml"), Udp);
        Assert.True(code == 0, output);
        Assert.Equal(200, await result.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("transferred", await (await SingleCallAsync()).Completion.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}

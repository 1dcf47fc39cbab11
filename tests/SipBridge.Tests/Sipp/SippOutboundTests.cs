using MediaServer.SipBridge.Calls;

namespace MediaServer.SipBridge.Tests.Sipp;

/// <summary>Outbound calls to SIPp acting as the far end (UAS).</summary>
[Trait("Category", "Interop")]
public sealed class SippOutboundTests : IAsyncLifetime
{
    private readonly SipServer _server = new(new SipOptions { Port = 0 });

    public Task InitializeAsync() => _server.StartAsync(CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Dialed_call_is_answered_carries_speech_and_our_bye_ends_it()
    {
        int sippPort = SippRunner.FreeUdpPort();
        var keys = new Dictionary<string, string> { ["ulaw_file"] = AudioFixtures.UlawPath };
        var sipp = SippRunner.RunAsync(SipTestData.Scenario("uas_call.xml"), null, keys, rtpEcho: true, localPort: sippPort);
        await Task.Delay(500);

        var sink = new RecordingSink();
        var call = await _server.DialAsync($"sip:sipp@127.0.0.1:{sippPort}").WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(call.IsOutbound);
        Assert.Equal(SipCallState.Active, call.State);
        call.Media.Start(sink);
        call.Media.EnqueueOutput(AudioFixtures.Tone(1000, TimeSpan.FromSeconds(1)));
        await Task.Delay(3500);
        await call.HangUpAsync();

        var (code, output) = await sipp;
        Assert.True(code == 0, output);
        Assert.Equal("local_hangup", await call.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        double correlation = AudioFixtures.BestCorrelation(AudioFixtures.Reference, sink.Samples(), out _);
        Assert.True(correlation > 0.9, $"correlation {correlation:F3}");
        Assert.True(call.Media.Counters.LoopedAudioPackets >= 25, $"echoed audible packets {call.Media.Counters.LoopedAudioPackets}");
    }

    [Fact]
    public async Task Unreachable_target_fails_with_408_after_timer_b()
    {
        var fast = new SipServer(new SipOptions { Port = 0, Timers = new MediaServer.SipBridge.Transactions.SipTimerOptions { T1 = TimeSpan.FromMilliseconds(20) } });
        await fast.StartAsync(CancellationToken.None);
        try
        {
            var failure = await Assert.ThrowsAsync<SipCallFailedException>(() => fast.DialAsync($"sip:nobody@127.0.0.1:{SippRunner.FreeUdpPort()}").WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(408, failure.StatusCode);
            Assert.True(failure.IsRetryable);
        }
        finally
        {
            await fast.DisposeAsync();
        }
    }
}

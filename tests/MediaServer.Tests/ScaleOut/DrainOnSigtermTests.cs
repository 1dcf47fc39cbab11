using System.Diagnostics;
using System.Net;
using MediaServer.Tests.Infrastructure;
using Xunit.Abstractions;
using static MediaServer.Tests.ScaleOut.NodeClient;

namespace MediaServer.Tests.ScaleOut;

/// <summary>
/// Graceful shutdown of a single node (no Redis: the single-node registry): SIGTERM drains it. New work is refused
/// (SIP OPTIONS and HTTP 503, <c>/readyz</c> 503), a call that ends by itself before the deadline ends normally, and
/// at the deadline the remaining call gets a BYE and the remaining WebSocket session an error event and a close
/// frame; then the process exits with 0.
/// </summary>
public sealed class DrainOnSigtermTests(ITestOutputHelper log) : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drain-").FullName;
    private ServerProcess? _node;
    private int _sipPort;

    public async Task InitializeAsync()
    {
        await DebianPeers.EnsureInstalledAsync();
        _sipPort = ServerProcess.FreeTcpPort();
        _node = await ServerProcess.StartAsync("--MediaServer:Cluster:DrainDeadlineSeconds=6", $"--MediaServer:Sip:Port={_sipPort}");
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Sigterm_lets_a_short_call_finish_then_ends_the_rest_with_bye_and_close_frames_and_exits()
    {
        var node = _node!;
        string ulaw = Path.Combine(_dir, "caller.ulaw");
        await File.WriteAllBytesAsync(ulaw, TestSpeech.Ulaw("hello", leadSeconds: 0.5, tailSeconds: 0.5));
        Assert.Equal("SIP/2.0 200 OK", await ClusterPeers.OptionsAsync(_sipPort));

        await using var longCall = await ClusterPeers.StartSippAsync("server_hangs_up.xml", _sipPort, 1, ulaw, _dir,
            new Dictionary<string, string> { ["bye_timeout_ms"] = "60000" });
        await using var session = await RealtimeTestClient.ConnectAsync(node, key: "test");
        await session.WaitForAsync("session.created", 15);
        await EventuallyAsync(async () => (await SipCallsAsync(node)).Count == 1 ? "" : null, 20, () => longCall.Output + node.Output);
        await using var shortCall = await ClusterPeers.StartSippAsync("caller_hangs_up.xml", _sipPort, 1, ulaw, _dir,
            new Dictionary<string, string> { ["call_ms"] = "2500" });
        await EventuallyAsync(async () => (await SipCallsAsync(node)).Count == 2 ? "" : null, 20, () => shortCall.Output + node.Output);

        var watch = Stopwatch.StartNew();
        await node.SignalAsync("-TERM");
        await EventuallyAsync(async () =>
        {
            using var ready = await SendAsync(node, HttpMethod.Get, "/readyz");
            return ready.StatusCode == HttpStatusCode.ServiceUnavailable ? "" : null;
        }, 5, () => node.Output);
        long refusedMs = watch.ElapsedMilliseconds;

        // Nothing new: the SIP dispatcher's probe and a new session both get 503.
        Assert.StartsWith("SIP/2.0 503", await ClusterPeers.OptionsAsync(_sipPort));
        var refused = await JsonAsync(node, HttpMethod.Get, "/v1/realtime?model=gpt-realtime");
        Assert.Equal("node_draining", (string?)refused["error"]!["code"]);

        // The short call ends by itself before the deadline, normally (SIPp's BYE answered 200).
        Assert.True(await shortCall.WaitAsync(TimeSpan.FromSeconds(20)) == 0, shortCall.Output + node.Output);
        Assert.DoesNotContain("Drain deadline", node.Output, StringComparison.Ordinal);

        // At the deadline the long call gets our BYE (SIPp answers it and exits 0) and the session a close frame.
        Assert.True(await longCall.WaitAsync(TimeSpan.FromSeconds(30)) == 0, longCall.Output + node.Output);
        long byeMs = watch.ElapsedMilliseconds;
        await session.WaitClosedAsync(15);
        Assert.Contains(session.All("error"), e => (string?)e["error"]!["code"] == "server_shutting_down");
        Assert.NotNull(session.CloseStatus);

        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        long exitMs = watch.ElapsedMilliseconds;
        Assert.Contains("Drain deadline: ending 1 calls and 1 sessions", node.Output, StringComparison.Ordinal);
        Assert.True(byeMs >= 5000, $"the BYE came {byeMs} ms after SIGTERM, before the 6 s deadline");
        log.WriteLine($"SIGTERM: refusing new work after {refusedMs} ms; remaining call's BYE after {byeMs} ms (deadline 6 s); process exited 0 after {exitMs} ms");
    }
}

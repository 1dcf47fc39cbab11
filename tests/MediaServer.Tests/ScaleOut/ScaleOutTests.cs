using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;
using Xunit.Abstractions;
using static MediaServer.Tests.ScaleOut.NodeClient;

namespace MediaServer.Tests.ScaleOut;

/// <summary>
/// Two server processes behind Debian's Kamailio (the repository's deploy/kamailio config) sharing Debian's
/// redis-server, all on loopback: SIPp calls through Kamailio land on both nodes, each node's calls are controlled
/// and monitored through the other node's HTTP port, and draining one node moves new calls to the other while its
/// live call runs to its normal end.
/// </summary>
public sealed class ScaleOutTests(ITestOutputHelper log) : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scaleout-").FullName;
    private PeerProcess? _redis;
    private PeerProcess? _kamailio;
    private ServerProcess? _a;
    private ServerProcess? _b;
    private int _kamailioPort;
    private string _ulaw = "";

    public async Task InitializeAsync()
    {
        await DebianPeers.EnsureInstalledAsync();
        (_redis, int redisPort) = await ClusterPeers.StartRedisAsync(_dir);
        string prefix = $"scaleout-{Guid.NewGuid():N}:";
        int sipA = ServerProcess.FreeTcpPort(), sipB = ServerProcess.FreeTcpPort();
        string[] Node(string id, int sip) =>
        [
            $"--MediaServer:Cluster:Redis=127.0.0.1:{redisPort}", $"--MediaServer:Cluster:NodeId={id}", $"--MediaServer:Cluster:KeyPrefix={prefix}",
            "--MediaServer:Cluster:HeartbeatSeconds=0.5", "--MediaServer:Cluster:RecordTtlSeconds=5", $"--MediaServer:Sip:Port={sip}",
        ];
        var a = ServerProcess.StartAsync(Node("node-a", sipA));
        var b = ServerProcess.StartAsync(Node("node-b", sipB));
        _a = await a;
        _b = await b;
        (_kamailio, _kamailioPort) = await ClusterPeers.StartKamailioAsync(_dir, sipA, sipB);
        _ulaw = Path.Combine(_dir, "caller.ulaw");
        await File.WriteAllBytesAsync(_ulaw, TestSpeech.Ulaw("hello this is the trunk calling", leadSeconds: 0.5, tailSeconds: 0.5));
    }

    public async Task DisposeAsync()
    {
        foreach (var peer in new[] { _kamailio, _redis })
        {
            if (peer is not null)
            {
                await peer.DisposeAsync();
            }
        }

        foreach (var node in new[] { _a, _b })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Calls_land_on_both_nodes_are_controlled_through_either_node_and_a_drain_moves_new_calls()
    {
        var a = _a!;
        var b = _b!;
        var total = Stopwatch.StartNew();

        // 1. Two calls through Kamailio: round robin puts one on each node.
        await using var first = await ClusterPeers.StartSippAsync("server_hangs_up.xml", _kamailioPort, 2, _ulaw, _dir,
            new Dictionary<string, string> { ["bye_timeout_ms"] = "60000" });
        var (onA, onB) = await EventuallyAsync(async () =>
        {
            var (ca, cb) = (await SipCallsAsync(a), await SipCallsAsync(b));
            return ca.Count == 1 && cb.Count == 1 && Active(ca[0]) && Active(cb[0]) ? Tuple.Create(ca[0], cb[0]) : null;
        }, 30, () => Diagnostics(first));
        string callA = (string)onA["id"]!, callB = (string)onB["id"]!;

        // Media goes straight to the node that holds the call (Kamailio only carries signalling).
        await EventuallyAsync(async () => (await SipCallsAsync(a)).Concat(await SipCallsAsync(b))
            .All(c => (long?)c["stats"]?["packets_received"] > 0) ? "" : null, 15, () => Diagnostics(first));

        // 2. A monitoring socket for node A's call, opened on node B, is proxied to node A.
        var watch = Stopwatch.StartNew();
        await using var monitor = await RealtimeTestClient.ConnectAsync(b, query: "call_id=" + callA, key: "test");
        var created = await monitor.WaitForAsync("session.created", 15);
        long monitorMs = watch.ElapsedMilliseconds;
        Assert.Equal((string?)onA["session_id"], (string?)created["session"]!["id"]);

        // 3. Hang-ups sent to the other node's HTTP port end the calls (BYE through Kamailio, answered by SIPp).
        watch.Restart();
        using (var hangup = await SendAsync(b, HttpMethod.Post, $"/v1/realtime/calls/{callA}/hangup"))
        {
            Assert.Equal(HttpStatusCode.OK, hangup.StatusCode);
        }

        long hangupMs = watch.ElapsedMilliseconds;
        using (var hangup = await SendAsync(a, HttpMethod.Post, $"/v1/realtime/calls/{callB}/hangup"))
        {
            Assert.Equal(HttpStatusCode.OK, hangup.StatusCode);
        }

        Assert.True(await first.WaitAsync(TimeSpan.FromSeconds(30)) == 0, Diagnostics(first));
        await monitor.WaitClosedAsync(15);
        await EventuallyAsync(async () => (await SipCallsAsync(a)).Count + (await SipCallsAsync(b)).Count == 0 ? "" : null, 10, () => Diagnostics(first));
        using (var gone = await SendAsync(b, HttpMethod.Post, $"/v1/realtime/calls/{callA}/hangup"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        // An ephemeral key minted by node A opens a session through node B: the request follows the key to node A.
        var secret = await JsonAsync(a, HttpMethod.Post, "/v1/realtime/client_secrets", new { expires_after = new { anchor = "created_at", seconds = 60 } });
        await using (var keyed = await RealtimeTestClient.ConnectAsync(b, key: (string)secret["value"]!))
        {
            await keyed.WaitForAsync("session.created", 15);
            Assert.Equal(1, (int)(await JsonAsync(a, HttpMethod.Get, "/healthz"))["sessions"]!);
            Assert.Equal(0, (int)(await JsonAsync(b, HttpMethod.Get, "/healthz"))["sessions"]!);
        }

        // 4. One more call, then its node drains: new calls go to the other node, the live call ends normally.
        await using var live = await ClusterPeers.StartSippAsync("caller_hangs_up.xml", _kamailioPort, 1, _ulaw, _dir,
            new Dictionary<string, string> { ["call_ms"] = "12000" });
        var (holder, other, liveCall) = await EventuallyAsync(async () =>
        {
            var (ca, cb) = (await SipCallsAsync(a), await SipCallsAsync(b));
            return ca.Count == 1 ? Tuple.Create(a, b, (string)ca[0]["id"]!) : cb.Count == 1 ? Tuple.Create(b, a, (string)cb[0]["id"]!) : null;
        }, 20, () => Diagnostics(live));
        string holderId = holder == a ? "node-a" : "node-b";
        watch.Restart();
        using (var drain = await SendAsync(holder, HttpMethod.Post, "/v1/admin/drain", new { deadline_seconds = 60 }))
        {
            Assert.Equal(HttpStatusCode.Accepted, drain.StatusCode);
        }

        using (var ready = await SendAsync(holder, HttpMethod.Get, "/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        using (var ready = await SendAsync(other, HttpMethod.Get, "/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        // The other node sees the drain in the shared registry at once (published on the spot, not at the next beat).
        await EventuallyAsync(async () => (await JsonAsync(other, HttpMethod.Get, "/v1/admin/nodes"))["data"]!.AsArray()
            .Any(n => (string?)n!["id"] == holderId && (bool)n["draining"]!) ? "" : null, 5, () => holder.Output);
        long registryMs = watch.ElapsedMilliseconds;

        await using var more = await ClusterPeers.StartSippAsync("caller_hangs_up.xml", _kamailioPort, 2, _ulaw, _dir,
            new Dictionary<string, string> { ["call_ms"] = "2000" });
        var seenOnHolder = new HashSet<string>();
        var seenOnOther = new HashSet<string>();
        while (!more.HasExited)
        {
            seenOnHolder.UnionWith((await SipCallsAsync(holder)).Select(c => (string)c["id"]!));
            seenOnOther.UnionWith((await SipCallsAsync(other)).Select(c => (string)c["id"]!));
            await Task.Delay(100);
        }

        Assert.True(await more.WaitAsync(TimeSpan.FromSeconds(30)) == 0, Diagnostics(more));
        Assert.DoesNotContain(seenOnHolder, id => id != liveCall);
        Assert.Equal(2, seenOnOther.Count);

        // The live call on the draining node ran its full 12 s and was hung up by the caller (SIPp got 200 to its BYE).
        Assert.True(await live.WaitAsync(TimeSpan.FromSeconds(30)) == 0, Diagnostics(live));
        long liveEndedMs = watch.ElapsedMilliseconds;
        var state = await EventuallyAsync(async () =>
        {
            var s = await JsonAsync(holder, HttpMethod.Get, "/v1/admin/drain");
            return (bool)s["drained"]! ? s : null;
        }, 10, () => holder.Output);
        Assert.Equal(0, (int)state["live"]!);
        Assert.DoesNotContain("Drain deadline", holder.Output, StringComparison.Ordinal);
        int failovers = CountOf(_kamailio!.Output, "failing over");

        log.WriteLine($"calls per node: {callA} on node-a, {callB} on node-b");
        log.WriteLine($"monitor socket via the other node: session.created after {monitorMs} ms; forwarded hangup: 200 after {hangupMs} ms");
        log.WriteLine($"drain: registry showed {holderId} draining after {registryMs} ms; new calls on the other node {seenOnOther.Count}/2, " +
                      $"on the draining node 0/2 ({failovers} INVITE(s) failed over on 503); live call ended by the caller {liveEndedMs} ms after the drain");
        log.WriteLine($"whole test: {total.Elapsed.TotalSeconds:F1} s");
    }

    private static bool Active(JsonNode call) => (string?)call["status"] == "active";

    private static int CountOf(string text, string what)
    {
        int n = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private string Diagnostics(PeerProcess sipp) =>
        $"SIPp:\n{PeerProcess.Tail(sipp.Output)}\nKamailio:\n{PeerProcess.Tail(_kamailio?.Output ?? "")}\n" +
        $"node-a:\n{PeerProcess.Tail(_a!.Output)}\nnode-b:\n{PeerProcess.Tail(_b!.Output)}";
}

using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Cluster;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Signaling.Tests.Cluster;

public sealed class NodeDrainTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly CallRegistry _calls = new();
    private readonly SessionRegistry _sessions = new();

    private NodeDrain Drain(double deadlineSeconds = 10) =>
        new(_calls, _sessions, Options.Create(new ClusterOptions { DrainDeadlineSeconds = deadlineSeconds }), _time, NullLogger<NodeDrain>.Instance);

    [Fact]
    public async Task An_idle_node_drains_at_once()
    {
        var drain = Drain();
        Assert.False(drain.IsDraining);
        await drain.StartAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(drain.IsDraining);
        Assert.Equal(_time.GetUtcNow().AddSeconds(10), drain.Deadline);
    }

    [Fact]
    public async Task A_call_that_ends_before_the_deadline_is_left_alone()
    {
        var call = new FakeCall();
        _calls.Add(new RealtimeCall(call, "sip"));
        var drain = Drain();
        int started = 0;
        drain.Started += () => started++;
        var drained = drain.StartAsync();
        Assert.Same(drained, drain.StartAsync());
        Assert.Equal(1, started);
        await AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.False(drained.IsCompleted);

        call.End("remote_bye");
        await WaitUntilAsync(() => _calls.Count == 0);
        await AdvanceAsync(NodeDrain.PollInterval);
        await drained.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, call.HangUps);
    }

    [Fact]
    public async Task Calls_left_at_the_deadline_are_hung_up()
    {
        var call = new FakeCall();
        _calls.Add(new RealtimeCall(call, "sip"));
        var drained = Drain(deadlineSeconds: 2).StartAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0, call.HangUps);
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => call.HangUps == 1);
        await WaitUntilAsync(() => _calls.Count == 0);
        await AdvanceAsync(NodeDrain.PollInterval);
        await drained.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<InvalidOperationException>(() => new ClusterOptions { HeartbeatSeconds = 0 }.Validate());
        Assert.Throws<InvalidOperationException>(() => new ClusterOptions { HeartbeatSeconds = 5, RecordTtlSeconds = 6 }.Validate());
        Assert.Throws<InvalidOperationException>(() => new ClusterOptions { AdvertisedHttpUrl = "not a url" }.Validate());
        new ClusterOptions().Validate();
    }

    [Fact]
    public async Task The_single_node_registry_shares_nothing()
    {
        var registry = new LocalNodeRegistry("solo");
        Assert.False(registry.IsShared);
        await registry.ClaimAsync(ClusterItemKind.Call, "rtc_1", default);
        Assert.Null(await registry.LocateAsync(ClusterItemKind.Call, "rtc_1", default));
        Assert.Empty(await registry.NodesAsync(default));
        await registry.PublishAsync(new NodeInfo("solo", "http://127.0.0.1:1", 1, 2, false, _time.GetUtcNow()), default);
        Assert.Equal(3, Assert.Single(await registry.NodesAsync(default)).Load);
    }

    /// <summary>Moves the fake clock in poll-sized steps, letting the drain loop run between them.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += NodeDrain.PollInterval)
        {
            await Task.Delay(20);
            _time.Advance(NodeDrain.PollInterval);
        }

        await Task.Delay(20);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 250 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }

    private sealed class FakeCall : ICallControl, ICallMediaLeg
    {
        private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int HangUps { get; private set; }

        public string CallId { get; } = "rtc_" + Guid.NewGuid().ToString("N");

        public ICallMediaLeg Media => this;

        public IReadOnlyList<KeyValuePair<string, string>> SipHeaders => [];

        public Task<string> Completion => _ended.Task;

        public string Transport => "sip";

        public string Codec => "pcmu";

        public int InputSampleRate => 8000;

        public int OutputSampleRate => 8000;

        public TimeSpan QueuedOutput => TimeSpan.Zero;

        public void End(string reason) => _ended.TrySetResult(reason);

        public Task AcceptAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Reject(int statusCode) => End("rejected");

        public Task<int> ReferAsync(string targetUri, CancellationToken cancellationToken) => Task.FromResult(202);

        public void Start(ICallMediaSink sink)
        {
        }

        public void EnqueueOutput(ReadOnlySpan<short> pcm)
        {
        }

        public TimeSpan ClearOutput() => TimeSpan.Zero;

        public ValueTask HangUpAsync(CancellationToken cancellationToken)
        {
            HangUps++;
            End("hangup");
            return ValueTask.CompletedTask;
        }
    }
}

using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.Cluster;

/// <summary>
/// Keeps this node's records in the registry: a call is claimed the moment it is added (a control request may reach
/// another node right after the webhook) and released when it ends; every <see cref="ClusterOptions.HeartbeatSeconds"/>
/// the node record (load, draining) is rewritten and every live call and session record has its expiry refreshed.
/// An ephemeral key is recorded (by hash) when it is minted, for as long as it lives.
/// A Redis outage is logged and retried on the next beat; calls go on regardless.
/// </summary>
public sealed partial class NodeHeartbeat(
    INodeRegistry registry,
    ClusterSelf self,
    CallRegistry calls,
    SessionRegistry sessions,
    ClientSecretStore secrets,
    NodeDrain drain,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<NodeHeartbeat> logger) : BackgroundService
{
    private HashSet<string> _claimedSessions = new(StringComparer.Ordinal);
    private bool _failing;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (registry.IsShared)
        {
            calls.Added += call => _ = SafeAsync(() => registry.ClaimAsync(ClusterItemKind.Call, call.CallId, CancellationToken.None));
            calls.Removed += call => _ = SafeAsync(() => registry.ReleaseAsync(ClusterItemKind.Call, call.CallId, CancellationToken.None));
            // An ephemeral key's record lives exactly as long as the key; requests with it are forwarded here.
            secrets.Issued += secret => _ = SafeAsync(() => registry.ClaimAsync(ClusterItemKind.Secret, ClusterKeys.Hash(secret.Value),
                CancellationToken.None, secret.ExpiresAt - time.GetUtcNow()));
        }

        // Peers must learn of a drain now, not at the next beat.
        drain.Started += () => _ = SafeAsync(() => registry.PublishAsync(Snapshot(), CancellationToken.None));
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
        do
        {
            await SafeAsync(() => BeatAsync(stoppingToken)).ConfigureAwait(false);
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // A stopping node takes nothing new: say so while its record lives on until it expires.
        await SafeAsync(() => registry.PublishAsync(Snapshot() with { Draining = true }, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private NodeInfo Snapshot() => new(self.NodeId, self.HttpUrl, calls.Count, sessions.Count, drain.IsDraining, time.GetUtcNow());

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        await registry.PublishAsync(Snapshot(), cancellationToken).ConfigureAwait(false);
        if (!registry.IsShared)
        {
            return;
        }

        foreach (var call in calls.Calls)
        {
            await registry.ClaimAsync(ClusterItemKind.Call, call.CallId, cancellationToken).ConfigureAwait(false);
        }

        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var session in sessions.Sessions)
        {
            live.Add(session.Id);
            await registry.ClaimAsync(ClusterItemKind.Session, session.Id, cancellationToken).ConfigureAwait(false);
        }

        foreach (string gone in _claimedSessions.Where(id => !live.Contains(id)))
        {
            await registry.ReleaseAsync(ClusterItemKind.Session, gone, cancellationToken).ConfigureAwait(false);
        }

        _claimedSessions = live;
    }

    private async Task SafeAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
            if (_failing)
            {
                _failing = false;
                LogRecovered(logger);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            if (!_failing)
            {
                _failing = true;
                LogUnavailable(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Node registry unavailable; calls go on, records are retried each heartbeat")]
    private static partial void LogUnavailable(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "Node registry reachable again")]
    private static partial void LogRecovered(ILogger logger);
}

using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.Cluster;

/// <summary>
/// Draining a node: from the moment it starts the node takes nothing new (SIP answers 503 to INVITE and to the
/// dispatcher's OPTIONS probes, new sessions are sent to another node or refused with 503, the registry and
/// <c>/readyz</c> say so), live calls and sessions run on until they end by themselves or the deadline passes, and
/// then the rest are ended properly: BYE for SIP, a close frame for WebSockets. Started by
/// <c>POST /v1/admin/drain</c> or by SIGTERM (which then stops the process).
/// </summary>
public sealed partial class NodeDrain(
    CallRegistry calls,
    SessionRegistry sessions,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<NodeDrain> logger)
{
    /// <summary>How often the drain looks whether everything has ended (one loop per node, not a timer per call).</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly object _gate = new();
    private Task? _drained;

    /// <summary>Raised once, when the drain starts (before it returns), on the caller's thread.</summary>
    public event Action? Started;

    public bool IsDraining => Volatile.Read(ref _drained) is not null;

    /// <summary>When the remaining calls are ended; null until draining.</summary>
    public DateTimeOffset? Deadline { get; private set; }

    /// <summary>Completes when every call and session has ended; null until draining.</summary>
    public Task? Drained => Volatile.Read(ref _drained);

    /// <summary>Live calls and sessions on this node.</summary>
    public int Live => calls.Count + sessions.Count;

    /// <summary>
    /// Starts draining (a second call returns the first drain). <paramref name="deadline"/> defaults to
    /// <see cref="ClusterOptions.DrainDeadlineSeconds"/>. The task completes when nothing is left.
    /// </summary>
    public Task StartAsync(TimeSpan? deadline = null)
    {
        var limit = deadline ?? TimeSpan.FromSeconds(options.Value.DrainDeadlineSeconds);
        lock (_gate)
        {
            if (_drained is not null)
            {
                return _drained;
            }

            Deadline = time.GetUtcNow() + limit;
            LogStarted(logger, calls.Count, sessions.Count, limit.TotalSeconds);
            Started?.Invoke();
            _drained = RunAsync(Deadline.Value);
            return _drained;
        }
    }

    private async Task RunAsync(DateTimeOffset deadline)
    {
        await Task.Yield();
        while (Live > 0 && time.GetUtcNow() < deadline)
        {
            await Task.Delay(PollInterval, time).ConfigureAwait(false);
        }

        if (Live > 0)
        {
            LogDeadline(logger, calls.Count, sessions.Count);
            foreach (var call in calls.Calls.ToList())
            {
                try
                {
                    await call.Control.Media.HangUpAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or OperationCanceledException)
                {
                    // Ended meanwhile.
                }
            }

            sessions.CloseAll("The server is draining; connect again to reach another node.");
            // The BYEs and close frames take a moment; give them a bounded one before reporting the node empty.
            var grace = time.GetUtcNow() + TimeSpan.FromSeconds(5);
            while (Live > 0 && time.GetUtcNow() < grace)
            {
                await Task.Delay(PollInterval, time).ConfigureAwait(false);
            }
        }

        LogDrained(logger);
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Draining: {Calls} calls and {Sessions} sessions may run {Seconds} s more; nothing new is taken")]
    private static partial void LogStarted(ILogger logger, int calls, int sessions, double seconds);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Drain deadline: ending {Calls} calls and {Sessions} sessions")]
    private static partial void LogDeadline(ILogger logger, int calls, int sessions);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Drained: no call or session left")]
    private static partial void LogDrained(ILogger logger);
}

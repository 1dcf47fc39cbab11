using System.Runtime.InteropServices;
using MediaServer.Signaling.Cluster;

namespace MediaServer.Hosting;

/// <summary>
/// The host's signal handling (replaces <c>ConsoleLifetime</c>): SIGTERM, what Kubernetes, systemd and
/// <c>docker stop</c> send, drains first (<see cref="NodeDrain"/>: nothing new is taken, live calls run on up to
/// <c>MediaServer:Cluster:DrainDeadlineSeconds</c>, the rest get BYE and close frames) and then stops the host;
/// a second SIGTERM stops at once. SIGINT (Ctrl-C) and SIGQUIT stop at once, as before (live calls still get BYE).
/// </summary>
public sealed partial class DrainLifetime(IHostApplicationLifetime lifetime, NodeDrain drain, ILogger<DrainLifetime> logger) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, StopNow));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, StopNow));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, DrainThenStop));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void StopNow(PosixSignalContext context)
    {
        context.Cancel = true;
        lifetime.StopApplication();
    }

    private void DrainThenStop(PosixSignalContext context)
    {
        context.Cancel = true;
        if (drain.IsDraining)
        {
            LogStopNow(logger);
            lifetime.StopApplication();
            return;
        }

        LogDraining(logger);
        _ = drain.StartAsync().ContinueWith(_ => lifetime.StopApplication(), TaskScheduler.Default);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    [LoggerMessage(EventId = 430, Level = LogLevel.Warning, Message = "SIGTERM: draining, then stopping (a second SIGTERM stops now)")]
    private static partial void LogDraining(ILogger logger);

    [LoggerMessage(EventId = 431, Level = LogLevel.Warning, Message = "Second SIGTERM: stopping now")]
    private static partial void LogStopNow(ILogger logger);
}

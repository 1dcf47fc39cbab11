using System.Diagnostics.Metrics;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.Extensions.Hosting;

namespace MediaServer.Signaling.Telemetry;

/// <summary>
/// CPU time per live session or call, the figure operators size machines by: every few seconds the process's CPU
/// time is sampled and divided by the session-seconds lived in the same window, so
/// <c>mediaserver.cpu.per_session</c> reads "cores used per concurrent session" (0.05 = twenty sessions per core).
/// <c>mediaserver.session.time</c> (session-seconds) lets a dashboard compute the same over any window:
/// <c>rate(process_cpu_time) / rate(mediaserver_session_time)</c>. One sampler for the server, not a timer per call.
/// </summary>
public sealed class SessionCpuMeter : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);
    private readonly SessionRegistry _sessions;
    private readonly CallRegistry _calls;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private double _sessionSeconds;
    private double _cpuPerSession;
    private TimeSpan _lastCpu;
    private long _lastSample;

    public SessionCpuMeter(SessionRegistry sessions, CallRegistry calls, TimeProvider time)
    {
        _sessions = sessions;
        _calls = calls;
        _time = time;
        _lastCpu = Environment.CpuUsage.TotalTime;
        _lastSample = time.GetTimestamp();
        RealtimeTelemetry.Meter.CreateObservableGauge("mediaserver.cpu.per_session", () => Read(ref _cpuPerSession), unit: "{core}",
            description: "Process CPU time per live session or call over the last sampling window (cores per session)");
        RealtimeTelemetry.Meter.CreateObservableCounter("mediaserver.session.time", () => Read(ref _sessionSeconds), unit: "s",
            description: "Session-seconds lived by sessions and calls of every transport");
    }

    /// <summary>Takes one sample now (the background loop calls it every few seconds; tests call it directly).</summary>
    public void Sample()
    {
        var cpu = Environment.CpuUsage.TotalTime;
        long now = _time.GetTimestamp();
        int live = _sessions.Count + _calls.Count;
        lock (_gate)
        {
            double wall = _time.GetElapsedTime(_lastSample, now).TotalSeconds;
            if (wall <= 0)
            {
                return;
            }

            double cores = (cpu - _lastCpu).TotalSeconds / wall;
            _sessionSeconds += live * wall;
            _cpuPerSession = live > 0 ? cores / live : 0;
            _lastCpu = cpu;
            _lastSample = now;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sample();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private double Read(ref double field)
    {
        lock (_gate)
        {
            return field;
        }
    }
}

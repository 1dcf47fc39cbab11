using System.Globalization;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.Realtime.Transport;

/// <summary>
/// Ends sessions and calls at their <c>expires_at</c> (<see cref="RealtimeSessionOptions.MaxSessionMinutes"/>) and
/// warns them <see cref="RealtimeSessionOptions.SessionExpiryWarningSeconds"/> before. One periodic sweep for the
/// whole server rather than a timer per session: a second's precision is plenty for a limit measured in minutes.
/// </summary>
public sealed class SessionLifetimeMonitor(
    SessionRegistry sessions,
    CallRegistry calls,
    IOptions<RealtimeSessionOptions> options,
    TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sweep();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Warns and ends what is due now (public for tests that drive time by hand).</summary>
    public void Sweep()
    {
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var (session, end) in sessions.Live)
        {
            Check(session, now, end);
        }

        foreach (var call in calls.Calls)
        {
            if (call.Session is { } session)
            {
                Check(session, now, error =>
                {
                    session.Close(error);
                    _ = call.Control.Media.HangUpAsync(CancellationToken.None).AsTask();
                });
            }
        }
    }

    private void Check(RealtimeSession session, long now, Action<RealtimeError> end)
    {
        long expiresAt = session.Config.ExpiresAt;
        if (expiresAt <= 0)
        {
            return;
        }

        if (now >= expiresAt)
        {
            if (!session.TryBeginExpiry())
            {
                return;
            }

            string minutes = options.Value.MaxSessionMinutes.ToString("0.##", CultureInfo.InvariantCulture);
            end(RealtimeError.Invalid("session_expired", $"Your session hit the maximum duration of {minutes} minutes."));
            return;
        }

        int warning = options.Value.SessionExpiryWarningSeconds;
        if (warning > 0 && expiresAt - now <= warning)
        {
            session.WarnExpiring(expiresAt, (int)(expiresAt - now));
        }
    }
}

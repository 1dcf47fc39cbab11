using MediaServer.Rtc.Clock;
using MediaServer.Signaling.Calls;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaServer.SipBridge.Realtime;

/// <summary>
/// Runs the SIP server inside the host and hands every inbound call to the realtime call service, which asks the
/// application (webhook) or accepts it with the default session. Stopping the host sends BYE to live calls.
/// </summary>
public sealed partial class SipRealtimeBridge(
    IOptions<SipOptions> options,
    CallService calls,
    Signaling.Cluster.NodeDrain drain,
    MediaClock clock,
    ILoggerFactory loggers,
    TimeProvider time) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger("Sip.Bridge");
    private SipServer? _server;
    private int _disposed;

    public SipServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new SipServer(options.Value, clock, loggers, time);
        _server.IncomingCall += call => _ = OnIncomingAsync(call);
        // Draining: new INVITEs and the dispatcher's OPTIONS probes get 503, live calls go on.
        _server.Draining = drain.IsDraining;
        drain.Started += () => _server.Draining = true;
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        LogListening(_logger, _server.UdpEndPoint?.ToString() ?? "-", _server.TcpEndPoint?.ToString() ?? "-");
    }

    private async Task OnIncomingAsync(Calls.SipCall call)
    {
        try
        {
            await calls.OnIncomingAsync(new SipCallControl(call), "sip").ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFailed(_logger, ex, call.CallId);
            call.Reject(500);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container tracks this instance twice (as itself and as a hosted service): dispose once.
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "SIP listening on UDP {Udp} and TCP {Tcp}")]
    private static partial void LogListening(ILogger logger, string udp, string tcp);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Incoming SIP call {CallId} could not be started")]
    private static partial void LogFailed(ILogger logger, Exception ex, string callId);
}

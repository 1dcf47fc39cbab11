using System.Net;
using MediaServer.Rtc.Clock;
using MediaServer.Rtc.WebRtc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.WebRtc;

/// <summary>Owns the WebRTC endpoint (one UDP socket, one certificate) for the life of the host.</summary>
public sealed class WebRtcService(IOptions<WebRtcServerOptions> options, TimeProvider time, ILoggerFactory loggers, MediaClock clock)
    : IHostedService, IAsyncDisposable
{
    private WebRtcEndpoint? _endpoint;
    private int _disposed;

    public WebRtcEndpoint Endpoint => _endpoint ?? throw new InvalidOperationException("WebRTC is not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var rtc = new WebRtcOptions();
        rtc.Ice.BindAddress = IPAddress.Parse(o.Address);
        rtc.Ice.Port = o.Port;
        if (o.PublicAddress is { Length: > 0 } publicAddress)
        {
            rtc.Ice.PublicAddress = IPAddress.Parse(publicAddress);
        }

        _endpoint = new WebRtcEndpoint(rtc, time, loggers, clock);
        await _endpoint.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        // The container tracks this instance twice (as itself and as a hosted service): dispose once.
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _endpoint is not null)
        {
            await _endpoint.DisposeAsync().ConfigureAwait(false);
        }
    }
}

using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.Extensions.Options;

namespace MediaServer.Hosting;

/// <summary>
/// <c>GET /metrics</c> in Prometheus text format. Metrics name live calls, keys' traffic and error codes, so with API
/// keys configured the scrape needs a standard key (Prometheus: <c>authorization: {credentials: …}</c>) unless
/// <c>MediaServer:Telemetry:PublicMetrics</c> is true; ephemeral keys are refused.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void Map(WebApplication app)
    {
        bool isPublic = app.Configuration.GetValue("MediaServer:Telemetry:PublicMetrics", false);
        app.UseWhen(context => context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase), branch => branch.Use(async (context, next) =>
        {
            if (!isPublic && !context.RequestServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Open)
            {
                var auth = context.RequestServices.GetRequiredService<RealtimeAuthenticator>().Authenticate(context, EphemeralKeyUse.Refused);
                if (!auth.Success)
                {
                    await ApiError.WriteAsync(context, StatusCodes.Status401Unauthorized, auth.Code!, auth.Message!, null).ConfigureAwait(false);
                    return;
                }
            }

            await next(context).ConfigureAwait(false);
        }));
        app.MapPrometheusScrapingEndpoint(Path);
    }
}

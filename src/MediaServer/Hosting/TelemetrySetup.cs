using System.Diagnostics.Metrics;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Transport;
using MediaServer.Signaling.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MediaServer.Hosting;

/// <summary>
/// OpenTelemetry: the server's meter and activity source plus ASP.NET Core's, scraped on <c>/metrics</c>
/// (Prometheus text format) and pushed over OTLP when <c>MediaServer:Telemetry:OtlpEndpoint</c> is set.
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddServerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        string? otlp = configuration["MediaServer:Telemetry:OtlpEndpoint"];
        services.AddSingleton<SessionCpuMeter>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionCpuMeter>());
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("mediaserver"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(RealtimeTelemetry.Name).AddAspNetCoreInstrumentation().AddPrometheusExporter();
                MediaLoadMetricsSetup.Configure(metrics);
                if (!string.IsNullOrEmpty(otlp))
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(RealtimeTelemetry.Name).AddAspNetCoreInstrumentation();
                if (!string.IsNullOrEmpty(otlp))
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });
        return services;
    }

    /// <summary>Live sessions and calls by transport, read when metrics are collected; call quality as calls end.</summary>
    public static void ObserveLiveCounts(IServiceProvider services)
    {
        var sessions = services.GetRequiredService<SessionRegistry>();
        var calls = services.GetRequiredService<CallRegistry>();
        CallQualityMetrics.Observe(calls);
        _ = services.GetRequiredService<SessionCpuMeter>();
        MediaLoadMetrics.Observe(services.GetRequiredService<MediaServer.Rtc.Clock.MediaClock>());
        RealtimeTelemetry.Meter.CreateObservableGauge("mediaserver.sessions.active", () =>
            new[] { new Measurement<int>(sessions.Count, new KeyValuePair<string, object?>("transport", "websocket")) }
                .Concat(calls.Calls.GroupBy(c => c.Transport)
                    .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("transport", g.Key)))),
            description: "Live realtime sessions and calls by transport");
    }
}

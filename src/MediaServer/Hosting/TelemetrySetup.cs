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
        string protocol = configuration["MediaServer:Telemetry:OtlpProtocol"] ?? "grpc";
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
                    metrics.AddOtlpExporter(o => ConfigureOtlp(o, otlp, protocol, "metrics"));
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(RealtimeTelemetry.Name).AddAspNetCoreInstrumentation();
                if (!string.IsNullOrEmpty(otlp))
                {
                    tracing.AddOtlpExporter(o => ConfigureOtlp(o, otlp, protocol, "traces"));
                }
            });
        return services;
    }

    /// <summary>
    /// OTLP over gRPC (the collector's port 4317, endpoint as given) or HTTP/protobuf (port 4318; the signal's path,
    /// <c>/v1/traces</c> or <c>/v1/metrics</c>, is appended to the base URL as the OTLP specification asks).
    /// </summary>
    private static void ConfigureOtlp(OpenTelemetry.Exporter.OtlpExporterOptions options, string endpoint, string protocol, string signal)
    {
        if (string.Equals(protocol, "http", StringComparison.OrdinalIgnoreCase) || string.Equals(protocol, "http/protobuf", StringComparison.OrdinalIgnoreCase))
        {
            options.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf;
            options.Endpoint = new Uri(endpoint.TrimEnd('/') + "/v1/" + signal);
        }
        else
        {
            options.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;
            options.Endpoint = new Uri(endpoint);
        }
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

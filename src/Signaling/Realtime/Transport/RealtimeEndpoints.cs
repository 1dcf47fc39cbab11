using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Session;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MediaServer.Signaling.Limits;

namespace MediaServer.Signaling.Realtime.Transport;

/// <summary>Registers and maps the Realtime API surface.</summary>
public static class RealtimeEndpoints
{
    /// <summary>The CORS policy of the browser-facing endpoints; origins come from <c>MediaServer:WebRtc:AllowedOrigins</c>.</summary>
    public const string CorsPolicy = "realtime-browser";

    public static IServiceCollection AddRealtimeSignaling(this IServiceCollection services)
    {
        services.AddSingleton<ClientSecretStore>();
        services.AddSingleton<RealtimeAuthenticator>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton(sp => new Limits.KeyRateLimiter(sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<RealtimeSessionOptions>>().Value.RequestsPerSecondPerKey, sp.GetService<Limits.ISharedRateCounter>()));
        services.AddSingleton<Limits.KeyRateLimitMiddleware>();
        services.AddSingleton<RealtimeSessionFactory>();
        services.AddSingleton<RealtimeWebSocketHandler>();
        services.AddSingleton<ClientSecretsEndpoint>();
        services.AddOptions<Inworld.InworldOptions>().BindConfiguration(Inworld.InworldOptions.Section);
        services.AddSingleton<Inworld.IceServersEndpoint>();
        services.AddSingleton<CallRegistry>();
        services.AddSingleton<CallService>();
        services.AddSingleton<CallListEndpoint>();
        services.AddHostedService<SessionLifetimeMonitor>();
        services.AddHttpClient<IncomingCallWebhook>();
        services.AddSingleton<WebRtc.WebRtcService>();
        services.AddHostedService(sp => sp.GetRequiredService<WebRtc.WebRtcService>());
        services.AddSingleton<WebRtc.WebRtcCallsEndpoint>();
        services.AddCors(o => o.AddPolicy(CorsPolicy, policy =>
        {
            // Browser apps usually live on another origin than the media server.
            policy.AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("Location");
        }));
        services.TryAddSingletonTimeProvider();
        return services;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    /// <summary>Maps the Realtime API; every endpoint counts against the caller's key rate (<see cref="KeyRateLimitMiddleware"/>).</summary>
    public static IEndpointRouteBuilder MapRealtime(this IEndpointRouteBuilder endpoints)
    {
        var ws = endpoints.ServiceProvider.GetRequiredService<RealtimeWebSocketHandler>();
        endpoints.Map("/v1/realtime", ws.HandleAsync).RateLimitedByKey();
        endpoints.Map("/api/v1/realtime/session", ws.HandleAsync).RateLimitedByKey();
        var iceServers = endpoints.ServiceProvider.GetRequiredService<Inworld.IceServersEndpoint>();
        endpoints.MapGet("/v1/realtime/ice-servers", iceServers.HandleAsync).RequireCors(CorsPolicy).RateLimitedByKey();
        endpoints.MapGet("/api/v1/realtime/ice-servers", iceServers.HandleAsync).RequireCors(CorsPolicy).RateLimitedByKey();
        var secrets = endpoints.ServiceProvider.GetRequiredService<ClientSecretsEndpoint>();
        endpoints.MapPost("/v1/realtime/client_secrets", secrets.HandleAsync).RequireCors(CorsPolicy).RateLimitedByKey();
        var webRtcCalls = endpoints.ServiceProvider.GetRequiredService<WebRtc.WebRtcCallsEndpoint>();
        endpoints.MapPost("/v1/realtime/calls", webRtcCalls.HandleAsync).RequireCors(CorsPolicy).RateLimitedByKey();
        endpoints.MapGet("/v1/realtime/calls", endpoints.ServiceProvider.GetRequiredService<CallListEndpoint>().HandleAsync).RequireCors(CorsPolicy).RateLimitedByKey();
        endpoints.MapCallControl();
        return endpoints;
    }
}

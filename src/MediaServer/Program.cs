using System.Net;
using MediaServer.Hosting;
using MediaServer.Pipeline.Stt.Pocketsphinx;
using MediaServer.Pipeline.Tts;
using MediaServer.Rtc.Clock;
using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Cluster;
using MediaServer.Signaling.Limits;
using MediaServer.SipBridge;
using MediaServer.SipBridge.Realtime;
using MediaServer.Signaling.WebRtc;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using MediaServer.Signaling.Realtime.Session;
using MediaServer.Signaling.Realtime.Transport;
using Serilog;

// appsettings.json ships beside the binary; the working directory stays free for relative paths given by the user.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Host.UseSerilog((context, logger) => LogFormat.Configure(logger, context.Configuration));

var http = builder.Configuration.GetSection("MediaServer:Http").Get<HttpOptions>() ?? new HttpOptions();
var auth = builder.Configuration.GetSection("MediaServer:Auth").Get<ApiKeyOptions>() ?? new ApiKeyOptions();
var address = IPAddress.Parse(http.Address);
if (auth.Open && !IPAddress.IsLoopback(address))
{
    // With no keys configured any key is accepted: that is only safe where nobody else can connect.
    Console.Error.WriteLine($"Refusing to listen on {address}: no API keys are configured (MediaServer:Auth:ApiKeys). " +
                            "Configure keys or listen on 127.0.0.1.");
    return 2;
}

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(address, http.Port);
    if (http.HttpsPort > 0)
    {
        kestrel.Listen(address, http.HttpsPort, listen => listen.UseHttps(TlsCertificate.Load(http)));
    }
});
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(http.ShutdownSeconds));
builder.Services.Configure<ApiKeyOptions>(builder.Configuration.GetSection("MediaServer:Auth"));
builder.Services.Configure<RealtimeSessionOptions>(builder.Configuration.GetSection("MediaServer:Realtime"));
builder.Services.AddEmbeddedEngines(builder.Configuration);
builder.Services.AddServerTelemetry(builder.Configuration);
builder.Services.AddRealtimeSignaling();
builder.Services.AddCluster(builder.Configuration.GetSection("MediaServer:Cluster"), address, http.Port);
builder.Services.AddSingleton<IHostLifetime, DrainLifetime>();
builder.Services.Configure<CallOptions>(builder.Configuration.GetSection("MediaServer:Calls"));
builder.Services.Configure<WebRtcServerOptions>(builder.Configuration.GetSection("MediaServer:WebRtc"));
builder.Services.AddOptions<CorsOptions>().Configure<IOptions<WebRtcServerOptions>>((cors, webRtc) =>
{
    var policy = cors.GetPolicy(RealtimeEndpoints.CorsPolicy)!;
    foreach (var origin in webRtc.Value.AllowedOrigins)
    {
        policy.Origins.Add(origin);
    }
});
builder.Services.Configure<SipOptions>(builder.Configuration.GetSection("MediaServer:Sip"));
builder.Services.AddSingleton(sp => new MediaClock(sp.GetRequiredService<TimeProvider>()));
if (builder.Configuration.GetValue("MediaServer:Sip:Enabled", true))
{
    builder.Services.AddSingleton<SipRealtimeBridge>();
    builder.Services.AddHostedService(sp => sp.GetRequiredService<SipRealtimeBridge>());
    builder.Services.AddSingleton<ICallDialer, SipCallDialer>();
}

var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
app.UseCors();
app.UseClusterForwarding();
// After forwarding: a request proxied to the node holding its call counts once, there.
app.UseKeyRateLimits();
app.MapGet("/healthz", (SessionRegistry sessions, CallRegistry calls) => Results.Ok(new { status = "ok", sessions = sessions.Count, calls = calls.Count }));
app.MapRealtime();
app.MapCluster();
MetricsEndpoint.Map(app);
TelemetrySetup.ObserveLiveCounts(app.Services);
WebConsole.Map(app, builder.Configuration);

var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
lifetime.ApplicationStopping.Register(() =>
    app.Services.GetRequiredService<SessionRegistry>().CloseAll("The server is shutting down."));
if (app.Services.GetRequiredService<IOptions<EngineOptions>>().Value.WarmUp)
{
    if (app.Services.GetRequiredService<MediaServer.Pipeline.Stt.ISpeechToText>() is PocketsphinxSpeechToText pocketsphinx) pocketsphinx.WarmUp();
    _ = app.Services.GetRequiredService<TextToSpeechRegistry>();
    _ = app.Services.GetRequiredService<RealtimeEngines>();
}

await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to the tests.</summary>
public partial class Program;

using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.Tests.Security;

/// <summary>
/// Walks every endpoint the host maps (so a new endpoint is covered the day it is added) and sends each one no
/// credentials and every kind of bad credential: all are refused with 401, except the health and readiness probes,
/// which load balancers call without keys and which reveal nothing but status and counts.
/// </summary>
public sealed class EveryEndpointAuthTests : IClassFixture<EveryEndpointAuthTests.KeyedServer>
{
    /// <summary>Probes a load balancer or orchestrator calls without keys: liveness and readiness (draining) only.</summary>
    private static readonly HashSet<string> Public = new(StringComparer.Ordinal) { "/healthz", "/readyz" };

    private readonly KeyedServer _server;

    public EveryEndpointAuthTests(KeyedServer server) => _server = server;

    public static TheoryData<string?, string?> BadCredentials => new()
    {
        { null, null },
        { "Authorization", "Bearer sk-wrong" },
        { "Authorization", "Bearer sk-configured-test-keyX" },
        { "Authorization", "Bearer " },
        { "Authorization", "Basic c2std3Jvbmc=" },
        { "Authorization", "Bearer ek_unknownEphemeralKey0000000000000" },
        { "Authorization", "Token sk-configured-test-key" },
    };

    [Fact]
    public void The_host_maps_the_endpoints_this_test_expects_to_walk()
    {
        var routes = Routes().Select(r => r.Pattern).ToHashSet(StringComparer.Ordinal);
        // A floor, not the list: the walk below covers whatever is mapped.
        foreach (var expected in new[] { "/v1/realtime", "/v1/realtime/client_secrets", "/v1/realtime/calls", "/v1/realtime/calls/{callId}/hangup", "/metrics" })
        {
            Assert.Contains(expected, routes);
        }
    }

    [Theory]
    [MemberData(nameof(BadCredentials))]
    public async Task Every_endpoint_refuses_missing_or_bad_credentials(string? header, string? value)
    {
        var failures = new List<string>();
        foreach (var (pattern, methods) in Routes())
        {
            if (Public.Contains(pattern))
            {
                continue;
            }

            string path = FillParameters(pattern);
            foreach (var method in methods)
            {
                var status = await SendAsync(method, path, header, value);
                if (status != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{method} {path}: {(int)status}");
                }
            }
        }

        Assert.True(failures.Count == 0, "Not refused with 401: " + string.Join("; ", failures));
    }

    [Fact]
    public async Task The_health_probe_is_the_only_public_endpoint_and_it_answers()
    {
        using var client = _server.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_configured_key_passes_authentication_on_the_metrics_scrape()
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + KeyedServer.Key);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpStatusCode> SendAsync(string method, string path, string? header, string? value)
    {
        if (IsWebSocket(path))
        {
            var ws = _server.Server.CreateWebSocketClient();
            if (header is not null)
            {
                ws.ConfigureRequest = r => r.Headers[header] = value;
            }

            try
            {
                using var socket = await ws.ConnectAsync(new Uri(_server.Server.BaseAddress, path.TrimStart('/').Replace("http", "ws", StringComparison.Ordinal)), CancellationToken.None);
                return HttpStatusCode.SwitchingProtocols;
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("status code", StringComparison.OrdinalIgnoreCase))
            {
                return ex.Message.Contains("401", StringComparison.Ordinal) ? HttpStatusCode.Unauthorized : HttpStatusCode.BadRequest;
            }
        }

        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "GET" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static bool IsWebSocket(string path) => path is "/v1/realtime" or "/api/v1/realtime/session";

    private static string FillParameters(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "\\{[^}]+\\}", "rtc_unknown");

    private IEnumerable<(string Pattern, IReadOnlyList<string> Methods)> Routes()
    {
        var sources = _server.Services.GetServices<EndpointDataSource>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            string pattern = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            yield return (pattern, methods is { Count: > 0 } ? methods : ["GET"]);
        }
    }

    /// <summary>The real host (Program) in memory, with a configured key and no SIP listener.</summary>
    public sealed class KeyedServer : WebApplicationFactory<Program>
    {
        public const string Key = "sk-configured-test-key";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("MediaServer:Auth:ApiKeys:0", Key);
            builder.UseSetting("MediaServer:Engines:WarmUp", "false");
            builder.UseSetting("MediaServer:Sip:Enabled", "false");
            builder.UseSetting("MediaServer:Http:Port", "0");
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaServer.Signaling.Limits;
using MediaServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Tests.Security;

/// <summary>
/// Requests per key per second, on the real host in memory: HTTP requests and the responses a key's sessions start
/// share one window; over it HTTP gets 429 with <c>Retry-After</c> and the API's error body, a session gets an
/// <c>error</c> event and lives on. The limiter's clock is a fake one (3 per second), so no assertion depends on how
/// fast this machine runs; each test uses its own key.
/// </summary>
public sealed class KeyRateLimitTests(KeyRateLimitTests.LimitedServer server) : IClassFixture<KeyRateLimitTests.LimitedServer>
{
    [Fact]
    public void The_limiter_counts_per_key_per_second()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 4, 0, 0, TimeSpan.Zero));
        var limiter = new KeyRateLimiter(time, 3);
        for (int remaining = 2; remaining >= 0; remaining--)
        {
            Assert.True(limiter.TryAcquire("a", out var state));
            Assert.Equal(new RateLimitState(3, remaining, 1.0), state);
        }

        time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.False(limiter.TryAcquire("a", out var refused));
        Assert.Equal(0, refused.Remaining);
        Assert.Equal(0.6, refused.ResetSeconds);
        Assert.Equal(1, refused.RetryAfterSeconds);
        Assert.True(limiter.TryAcquire("b", out var other));
        Assert.Equal(2, other.Remaining);

        time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.True(limiter.TryAcquire("a", out var next));
        Assert.Equal(2, next.Remaining);
    }

    [Fact]
    public async Task Http_requests_over_the_rate_get_429_with_retry_after_while_other_keys_and_probes_pass()
    {
        using var http = server.CreateClient();
        string? ephemeral = null;
        for (int remaining = 2; remaining >= 0; remaining--)
        {
            using var minted = await PostSecretAsync(http, LimitedServer.HttpKey);
            Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
            Assert.Equal(remaining.ToString(System.Globalization.CultureInfo.InvariantCulture), minted.Headers.GetValues("x-ratelimit-remaining-requests").Single());
            ephemeral ??= (string?)(await minted.Content.ReadFromJsonAsync<JsonObject>())!["value"];
        }

        using (var refused = await PostSecretAsync(http, LimitedServer.HttpKey))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            var error = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
            Assert.Equal("rate_limit_exceeded", (string?)error["code"]);
            Assert.Equal("requests", (string?)error["type"]);
            Assert.Contains("3 requests per second", (string?)error["message"], StringComparison.Ordinal);
            Assert.True(error.AsObject().ContainsKey("param"));
        }

        // The key's ephemeral secret shares the key's window; a WebSocket upgrade is refused before it opens.
        using (var ice = new HttpRequestMessage(HttpMethod.Get, "/v1/realtime/ice-servers"))
        {
            ice.Headers.TryAddWithoutValidation("Authorization", "Bearer " + ephemeral);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await http.SendAsync(ice)).StatusCode);
        }

        var upgrade = await Assert.ThrowsAsync<InvalidOperationException>(() => ConnectAsync(LimitedServer.HttpKey));
        Assert.Contains("429", upgrade.Message, StringComparison.Ordinal);

        // Another key, the probes and the metrics scrape are untouched.
        using (var otherKey = await PostSecretAsync(http, LimitedServer.OtherKey))
        {
            Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        }

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
            using var metrics = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            metrics.Headers.TryAddWithoutValidation("Authorization", "Bearer " + LimitedServer.HttpKey);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(metrics)).StatusCode);
        }

        // A request without a valid key is refused as unauthenticated, not counted.
        using (var unknown = await PostSecretAsync(http, "sk-not-configured"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }

        server.Time.Advance(TimeSpan.FromSeconds(1));
        using var afterReset = await PostSecretAsync(http, LimitedServer.HttpKey);
        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
        Assert.Equal("2", afterReset.Headers.GetValues("x-ratelimit-remaining-requests").Single());
    }

    [Fact]
    public async Task Responses_count_with_the_upgrade_and_over_the_rate_the_session_gets_an_error_and_lives()
    {
        server.Time.Advance(TimeSpan.FromSeconds(1));
        await using var client = RealtimeTestClient.Attach(await ConnectAsync(LimitedServer.SessionKey));
        await client.WaitForAsync("session.created");
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Say: ok", output_modalities = new[] { "text" } } });
        await client.WaitForAsync("session.updated");

        // The upgrade took one of the three.
        for (int remaining = 1; remaining >= 0; remaining--)
        {
            await client.SendAsync(new { type = "response.create" });
            var requests = RequestsLimit(await client.WaitForAsync("rate_limits.updated", 30));
            Assert.Equal(3, (int?)requests["limit"]);
            Assert.Equal(remaining, (int?)requests["remaining"]);
            Assert.InRange((double)requests["reset_seconds"]!, 0, 1);
            Assert.Equal("completed", (string?)(await client.WaitForAsync("response.done", 30))["response"]!["status"]);
        }

        await client.SendAsync(new { type = "response.create", event_id = "evt_over" });
        var error = (await client.WaitForAsync("error"))["error"]!;
        Assert.Equal("rate_limit_exceeded", (string?)error["code"]);
        Assert.Equal("evt_over", (string?)error["event_id"]);

        // Another key is not held back by this one.
        using (var http = server.CreateClient())
        using (var otherKey = await PostSecretAsync(http, LimitedServer.OtherKey))
        {
            Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        }

        // The next window: the same session answers again.
        server.Time.Advance(TimeSpan.FromSeconds(1));
        await client.SendAsync(new { type = "response.create" });
        Assert.Equal(2, (int?)RequestsLimit(await client.WaitForAsync("rate_limits.updated", 30))["remaining"]);
        Assert.Equal("completed", (string?)(await client.WaitForAsync("response.done", 30))["response"]!["status"]);
        Assert.Null(client.CloseStatus);
    }

    private static JsonNode RequestsLimit(JsonObject evt) =>
        evt["rate_limits"]!.AsArray().Single(l => (string?)l!["name"] == "requests")!;

    private static async Task<HttpResponseMessage> PostSecretAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/realtime/client_secrets") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        return await http.SendAsync(request);
    }

    private async Task<System.Net.WebSockets.WebSocket> ConnectAsync(string key)
    {
        var ws = server.Server.CreateWebSocketClient();
        ws.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + key;
        return await ws.ConnectAsync(new Uri(server.Server.BaseAddress, "v1/realtime?model=gpt-realtime"), CancellationToken.None);
    }

    /// <summary>The real host in memory with configured keys and a 3-per-second key limit on a fake clock.</summary>
    public sealed class LimitedServer : WebApplicationFactory<Program>
    {
        public const string HttpKey = "sk-rate-http";
        public const string SessionKey = "sk-rate-session";
        public const string OtherKey = "sk-rate-other";

        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 5, 4, 0, 0, TimeSpan.Zero));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("MediaServer:Auth:ApiKeys:0", HttpKey);
            builder.UseSetting("MediaServer:Auth:ApiKeys:1", SessionKey);
            builder.UseSetting("MediaServer:Auth:ApiKeys:2", OtherKey);
            builder.UseSetting("MediaServer:Engines:WarmUp", "false");
            builder.UseSetting("MediaServer:Sip:Enabled", "false");
            builder.UseSetting("MediaServer:Http:Port", "0");
            // Only the limiter runs on the fake clock; media and sessions keep the real one.
            builder.ConfigureTestServices(services => services.AddSingleton(new KeyRateLimiter(Time, 3)));
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests;

/// <summary>A server with configured keys: every way of presenting a key, ephemeral secrets, health and Ctrl-C.</summary>
public sealed class AuthAndLifecycleTests : IAsyncLifetime
{
    private const string Key = "sk-configured-test-key";
    private ServerProcess _server = null!;

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync($"--MediaServer:Auth:ApiKeys:0={Key}", "--MediaServer:Engines:WarmUp=false");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Healthz_answers()
    {
        using var http = new HttpClient();
        var health = await http.GetFromJsonAsync<JsonObject>(new Uri(_server.HttpBase, "/healthz"));
        Assert.Equal("ok", (string?)health!["status"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk-wrong")]
    [InlineData("ek_doesnotexist")]
    public async Task WebSocket_without_a_valid_key_is_refused_with_401(string? key)
    {
        var ex = await Assert.ThrowsAsync<WebSocketException>(() => RealtimeTestClient.ConnectAsync(_server, key: key));
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Browser_subprotocol_key_is_accepted_and_only_realtime_is_echoed()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(_server, key: null, subprotocols: ["realtime", "openai-insecure-api-key." + Key]);
        await client.WaitForAsync("session.created");
        Assert.Equal("realtime", client.SubProtocol);
    }

    [Fact]
    public async Task Client_secret_is_issued_to_a_key_and_opens_a_session_with_its_config()
    {
        using var http = new HttpClient();
        using var unauthorized = await http.PostAsJsonAsync(new Uri(_server.HttpBase, "/v1/realtime/client_secrets"), new { });
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.HttpBase, "/v1/realtime/client_secrets"))
        {
            Content = JsonContent.Create(new
            {
                expires_after = new { anchor = "created_at", seconds = 120 },
                session = new { type = "realtime", instructions = "Bound instructions.", audio = new { output = new { voice = "ash" } } },
            }),
        };
        request.Headers.Authorization = new("Bearer", Key);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        string secret = (string)body["value"]!;
        Assert.StartsWith("ek_", secret);
        long expiresAt = (long)body["expires_at"]!;
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 100, 121);
        Assert.Equal("Bound instructions.", (string?)body["session"]!["instructions"]);

        await using var client = await RealtimeTestClient.ConnectAsync(_server, key: secret);
        var created = await client.WaitForAsync("session.created");
        Assert.Equal("Bound instructions.", (string?)created["session"]!["instructions"]);
        Assert.Equal("ash", (string?)created["session"]!["audio"]!["output"]!["voice"]);

        // An ephemeral key cannot mint more keys.
        using var chained = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.HttpBase, "/v1/realtime/client_secrets")) { Content = JsonContent.Create(new { }) };
        chained.Headers.Authorization = new("Bearer", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(chained)).StatusCode);
    }

    [Fact]
    public async Task An_ephemeral_key_opens_one_session_only_and_controls_no_other_call()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.HttpBase, "/v1/realtime/client_secrets")) { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new("Bearer", Key);
        using var response = await http.SendAsync(request);
        string secret = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["value"]!;

        await using var first = await RealtimeTestClient.ConnectAsync(_server, key: secret);
        await first.WaitForAsync("session.created");

        // A replayed key (leaked from a page, say) opens nothing more, even while its first session lives.
        var replay = await Assert.ThrowsAsync<WebSocketException>(() => RealtimeTestClient.ConnectAsync(_server, key: secret));
        Assert.Contains("401", replay.Message, StringComparison.Ordinal);

        // It is still a valid credential for the call it opened, but not for anybody else's.
        using var hangup = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.HttpBase, "/v1/realtime/calls/rtc_someone_else/hangup"));
        hangup.Headers.Authorization = new("Bearer", secret);
        using var refused = await http.SendAsync(hangup);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("permission_denied", (string?)(await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]);
    }

    [Fact]
    public async Task Client_secret_with_an_invalid_lifetime_is_a_400()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.HttpBase, "/v1/realtime/client_secrets"))
        {
            Content = JsonContent.Create(new { expires_after = new { anchor = "created_at", seconds = 5 } }),
        };
        request.Headers.Authorization = new("Bearer", Key);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("expires_after.seconds", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]);
    }

    [Fact]
    public async Task Ctrl_c_tells_open_sessions_closes_them_and_exits()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(_server, key: Key);
        await client.WaitForAsync("session.created");
        int exitCode = await _server.InterruptAsync(TimeSpan.FromSeconds(20));
        var error = await client.WaitForAsync("error", 10);
        Assert.Equal("server_shutting_down", (string?)error["error"]!["code"]);
        await client.WaitClosedAsync();
        Assert.NotNull(client.CloseStatus);
        Assert.Equal(0, exitCode);
    }
}

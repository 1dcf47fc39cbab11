using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests;

/// <summary>How the host starts: TLS, the loopback guard, and per-key session limits.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task With_no_keys_the_server_refuses_to_listen_beyond_loopback()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(typeof(Program).Assembly.Location);
        psi.ArgumentList.Add("--MediaServer:Http:Address=0.0.0.0");
        psi.ArgumentList.Add($"--MediaServer:Http:Port={ServerProcess.FreeTcpPort()}");
        using var process = Process.Start(psi)!;
        string stderr = await process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("no API keys are configured", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wss_with_a_configured_certificate_serves_the_realtime_protocol()
    {
        string dir = Directory.CreateTempSubdirectory("mediaserver-tls").FullName;
        string certPath = Path.Combine(dir, "cert.pem");
        string keyPath = Path.Combine(dir, "key.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(certPath, cert.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        int httpsPort = ServerProcess.FreeTcpPort();
        await using var server = await ServerProcess.StartAsync(
            $"--MediaServer:Http:HttpsPort={httpsPort}",
            $"--MediaServer:Http:CertificatePath={certPath}",
            $"--MediaServer:Http:CertificateKeyPath={keyPath}",
            "--MediaServer:Engines:WarmUp=false");
        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.Subject == "CN=127.0.0.1";
        socket.Options.SetRequestHeader("Authorization", "Bearer any");
        try
        {
            await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{httpsPort}/v1/realtime?model=gpt-realtime"), CancellationToken.None);
        }
        catch (WebSocketException ex)
        {
            Assert.Fail($"{ex.Message}\n{server.Output}");
        }

        var buffer = new byte[65536];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Contains("\"session.created\"", System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_over_its_session_limit_gets_429()
    {
        await using var server = await ServerProcess.StartAsync("--MediaServer:Realtime:MaxSessionsPerKey=1", "--MediaServer:Engines:WarmUp=false");
        await using var first = await RealtimeTestClient.ConnectAsync(server, key: "k1");
        await first.WaitForAsync("session.created");
        var ex = await Assert.ThrowsAsync<WebSocketException>(() => RealtimeTestClient.ConnectAsync(server, key: "k1"));
        Assert.Contains("429", ex.Message, StringComparison.Ordinal);
        await using var other = await RealtimeTestClient.ConnectAsync(server, key: "k2");
        await other.WaitForAsync("session.created");
    }

    [Fact]
    public async Task The_key_rate_option_sets_the_limit_reported_to_sessions_and_http_clients()
    {
        // Enforcement runs on a fake clock in Security/KeyRateLimitTests; this proves the option reaches the real host.
        await using var server = await ServerProcess.StartAsync("--MediaServer:Realtime:RequestsPerSecondPerKey=7", "--MediaServer:Engines:WarmUp=false");
        await using var client = await RealtimeTestClient.ConnectAsync(server, key: "limited");
        await client.WaitForAsync("session.created");
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Say: ok", output_modalities = new[] { "text" } } });
        await client.WaitForAsync("session.updated");
        await client.SendAsync(new { type = "response.create" });
        var limits = await client.WaitForAsync("rate_limits.updated", 30);
        var requests = limits["rate_limits"]!.AsArray().Single(l => (string?)l!["name"] == "requests")!;
        Assert.Equal(7, (int?)requests["limit"]);
        // The upgrade and the response count; they may fall in one second or two.
        Assert.InRange((int)requests["remaining"]!, 5, 6);
        Assert.InRange((double)requests["reset_seconds"]!, 0, 1);
        await client.WaitForAsync("response.done", 30);

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.HttpBase, "/v1/realtime/client_secrets")) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer limited");
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("x-ratelimit-limit-requests").Single());
    }

    [Fact]
    public async Task Metrics_are_scraped_in_prometheus_format_after_a_spoken_turn()
    {
        await using var server = await ServerProcess.StartAsync("--MediaServer:Engines:WarmUp=false");
        await using (var client = await RealtimeTestClient.ConnectAsync(server))
        {
            await client.WaitForAsync("session.created");
            await client.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Say: Fine, thanks." } });
            await client.WaitForAsync("session.updated");
            await client.AppendAudioAsync(TestSpeech.Pcm("how are you"));
            await client.WaitForAsync("response.done", 60);
            await client.SendAsync(new { type = "conversation.item.delete", item_id = "item_missing" });
            await client.WaitForAsync("error");

            using var http = new HttpClient();
            string text = "";
            for (int attempt = 0; attempt < 20 && !text.Contains("mediaserver_turn_latency", StringComparison.Ordinal); attempt++)
            {
                await Task.Delay(500);
                text = await http.GetStringAsync(new Uri(server.HttpBase, "/metrics"));
            }

            var lines = text.Split('\n');
            Assert.Contains(lines, l => l.StartsWith("mediaserver_responses_total{", StringComparison.Ordinal) && l.Contains("status=\"completed\"", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("mediaserver_turns_total{", StringComparison.Ordinal) && l.Contains("transport=\"websocket\"", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("mediaserver_turn_latency_milliseconds_count", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("mediaserver_errors_total{", StringComparison.Ordinal) && l.Contains("code=\"item_not_found\"", StringComparison.Ordinal));
            Assert.Contains("mediaserver_sessions_active{", text, StringComparison.Ordinal);
        }
    }
}

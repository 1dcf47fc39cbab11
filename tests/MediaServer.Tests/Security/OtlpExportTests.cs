using System.Net;
using System.Net.Sockets;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Security;

/// <summary>Traces leave the real server process over OTLP/HTTP to a collector's endpoint (a local listener here).</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task A_response_reaches_an_otlp_http_collector_as_protobuf_traces()
    {
        int port = FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = Task.Run(async () =>
        {
            while (true)
            {
                var context = await collector.GetContextAsync();
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                string path = context.Request.Url!.AbsolutePath;
                string? type = context.Request.ContentType;
                context.Response.StatusCode = 200;
                context.Response.Close();
                if (path == "/v1/traces")
                {
                    return (type, body.Length);
                }
            }
        });

        await using var server = await ServerProcess.StartAsync(
            $"--MediaServer:Telemetry:OtlpEndpoint=http://127.0.0.1:{port}", "--MediaServer:Telemetry:OtlpProtocol=http", "--MediaServer:Engines:WarmUp=false");
        await using var client = await RealtimeTestClient.ConnectAsync(server);
        await client.WaitForAsync("session.created");
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Say: traced", output_modalities = new[] { "text" } } });
        await client.SendAsync(new { type = "response.create" });
        await client.WaitForAsync("response.done", 30);

        var (contentType, length) = await received.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("application/x-protobuf", contentType);
        Assert.True(length > 0);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

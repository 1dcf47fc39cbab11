using System.ComponentModel;
using MediaServer.Signaling.Realtime.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Server;

namespace MediaServer.Signaling.Tests.Realtime.Tools;

/// <summary>The MCP client against a real in-process MCP server: listing, calls, and each failure's GA error shape.</summary>
public sealed class McpServerConnectionTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer().WithHttpTransport().WithTools<Tools>();
        _app = builder.Build();
        _app.MapMcp("/mcp");
        await _app.StartAsync();
        _url = _app.Urls.First().TrimEnd('/') + "/mcp";
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [McpServerToolType]
    public sealed class Tools
    {
        [McpServerTool(Name = "echo", ReadOnly = true), Description("Echoes.")]
        public static string Echo(string text) => text;

        [McpServerTool(Name = "explode"), Description("Always fails.")]
        public static string Explode() => throw new InvalidOperationException("boom");

        [McpServerTool(Name = "sleep"), Description("Sleeps.")]
        public static async Task<string> Sleep(CancellationToken ct)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return "woke";
        }
    }

    private Task<McpServerConnection> ConnectAsync(string? url = null) => McpServerConnection.ConnectAsync(
        new McpToolConfig { ServerLabel = "t", ServerUrl = new Uri(url ?? _url), AllowedToolNames = ["echo", "explode", "sleep"] },
        ServerToolExecutor.Http, NullLoggerFactory.Instance, TimeSpan.FromSeconds(10), CancellationToken.None);

    [Fact]
    public async Task Tools_are_listed_with_their_schema_and_read_only_hint()
    {
        await using var connection = await ConnectAsync();
        var echo = connection.Tools.Single(t => t.Name == "echo");
        Assert.True(echo.ReadOnly);
        Assert.Equal("string", echo.InputSchema.GetProperty("properties").GetProperty("text").GetProperty("type").GetString());
        Assert.False(connection.Tools.Single(t => t.Name == "explode").ReadOnly);
    }

    [Fact]
    public async Task A_call_returns_the_tools_text()
    {
        await using var connection = await ConnectAsync();
        var outcome = await connection.CallAsync("echo", """{"text":"hi there"}""", 1000, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("hi there", outcome.Output);
        Assert.Null(outcome.Error);
        var cut = await connection.CallAsync("echo", """{"text":"0123456789"}""", 4, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("0123", cut.Output);
    }

    [Fact]
    public async Task Failures_become_ga_error_objects()
    {
        await using var connection = await ConnectAsync();
        var failed = await connection.CallAsync("explode", "{}", 1000, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("tool_execution_error", (string?)failed.Error!["type"]);
        var unknown = await connection.CallAsync("no_such_tool", "{}", 1000, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.NotNull(unknown.Error);
        Assert.Contains((string?)unknown.Error!["type"], new[] { "protocol_error", "tool_execution_error" });
        var bad = await connection.CallAsync("echo", "not json", 1000, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("protocol_error", (string?)bad.Error!["type"]);
        Assert.Equal(-32602, (int)bad.Error["code"]!);
        var slow = await connection.CallAsync("sleep", "{}", 1000, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Equal("http_error", (string?)slow.Error!["type"]);
        Assert.Equal(408, (int)slow.Error["code"]!);
    }

    [Fact]
    public async Task A_server_that_is_not_there_fails_the_listing_with_a_reason()
    {
        var ex = await Assert.ThrowsAsync<McpConnectException>(() => ConnectAsync(_url.Replace("/mcp", "/nothing-here", StringComparison.Ordinal)));
        Assert.Contains("'t'", ex.Message);
    }
}

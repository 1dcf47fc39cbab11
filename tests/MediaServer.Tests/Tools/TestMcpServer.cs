using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace MediaServer.Tests.Tools;

/// <summary>
/// A real MCP server (ModelContextProtocol.AspNetCore, streamable HTTP) on a loopback port, with a few small
/// tools. It refuses requests without the expected bearer token, so a test proves the authorization reached it.
/// </summary>
public sealed class TestMcpServer : IAsyncDisposable
{
    public const string Token = "mcp-test-token";

    private readonly WebApplication _app;

    private TestMcpServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The MCP endpoint, e.g. <c>http://127.0.0.1:PORT/mcp</c>.</summary>
    public string Url { get; }

    /// <summary>Tool calls the server ran, as "name:arguments".</summary>
    public static ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The X-Test-Header values seen, to prove custom headers arrive.</summary>
    public static ConcurrentQueue<string> HeadersSeen { get; } = new();

    public static async Task<TestMcpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer().WithHttpTransport().WithTools<ShopTools>();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization != "Bearer " + Token)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            if (context.Request.Headers.TryGetValue("X-Test-Header", out var value))
            {
                HeadersSeen.Enqueue(value.ToString());
            }

            await next();
        });
        app.MapMcp("/mcp");
        await app.StartAsync();
        return new TestMcpServer(app, app.Urls.First().TrimEnd('/') + "/mcp");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [McpServerToolType]
    public sealed class ShopTools
    {
        [McpServerTool(Name = "add", ReadOnly = true), Description("Adds two numbers.")]
        public static string Add([Description("First number")] double a, [Description("Second number")] double b)
        {
            Calls.Enqueue($"add:{a},{b}");
            return (a + b).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        [McpServerTool(Name = "lookup_order"), Description("Looks up an order by its order number.")]
        public static async Task<string> LookupOrder([Description("The order number")] string order_number)
        {
            Calls.Enqueue($"lookup_order:{order_number}");
            await Task.Delay(order_number.StartsWith('9') ? 1500 : 0); // orders starting with 9 are slow
            return $$"""{"order_number":"{{order_number}}","status":"shipped"}""";
        }

        [McpServerTool(Name = "delete_account"), Description("Deletes the account.")]
        public static string DeleteAccount([Description("The account id")] string account_id)
        {
            Calls.Enqueue($"delete_account:{account_id}");
            return "deleted " + account_id;
        }
    }
}

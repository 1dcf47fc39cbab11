using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Tools;

/// <summary>
/// One server process for the tool tests, wired to a real MCP server, a fake SearXNG and a fake chat-completions
/// model on loopback, with the tool-wait filler on ("One moment." after 0.5 s).
/// </summary>
public sealed class ToolsFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public TestMcpServer Mcp { get; private set; } = null!;

    public FakeSearxng Search { get; } = new();

    public FakeToolCallingChatServer Chat { get; } = new();

    public async Task InitializeAsync()
    {
        Mcp = await TestMcpServer.StartAsync();
        Server = await ServerProcess.StartAsync(
            $"--MediaServer:Realtime:Tools:WebSearch:Url={Search.Url}",
            "--MediaServer:Realtime:Tools:FillerText=One moment.",
            "--MediaServer:Realtime:Tools:FillerDelay=00:00:00.500",
            $"--MediaServer:Llm:Providers:fake:BaseUrl={Chat.BaseUrl}",
            "--MediaServer:Llm:Providers:fake:ApiKey=fake-key");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Mcp.DisposeAsync();
        await Search.DisposeAsync();
        await Chat.DisposeAsync();
    }
}

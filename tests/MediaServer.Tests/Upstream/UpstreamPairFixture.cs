using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Upstream;

/// <summary>
/// Two real server processes: U, a plain node on its offline engines that requires an API key, and F, a node whose
/// sessions delegate to U through the providers below. F's own chat model points at a closed port, so a response
/// F produced itself would fail: every answer that arrives came from U.
/// </summary>
public sealed class UpstreamPairFixture : IAsyncLifetime
{
    public const string UpstreamKey = "u-secret-key";

    public ServerProcess Upstream { get; private set; } = null!;

    public ServerProcess Front { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await ServerProcess.StartAsync($"--MediaServer:Auth:ApiKeys:0={UpstreamKey}");
        string ws = $"ws://127.0.0.1:{Upstream.Port}";
        int closedPort = ServerProcess.FreeTcpPort();
        string[] args =
        [
            "--MediaServer:Llm:DefaultModel=dead/never",
            $"--MediaServer:Llm:Providers:dead:BaseUrl=http://127.0.0.1:{closedPort}/v1",
            "--MediaServer:Upstream:Default=ulocal",
            .. Provider("ulocal", $"{ws}/v1/realtime", UpstreamKey, "local"),
            .. Provider("uvad", $"{ws}/v1/realtime", UpstreamKey, "upstream"),
            .. Provider("uinworld", $"{ws}/api/v1/realtime/session", UpstreamKey, "upstream", dialect: "inworld", auth: "basic"),
            .. Provider("udown", $"ws://127.0.0.1:{closedPort}/v1/realtime", UpstreamKey, "upstream"),
            .. Provider("ubadkey", $"{ws}/v1/realtime", "wrong-key", "upstream"),
        ];
        Front = await ServerProcess.StartAsync(args);
    }

    private static string[] Provider(string name, string url, string key, string turns, string dialect = "openai", string auth = "bearer") =>
    [
        $"--MediaServer:Upstream:Providers:{name}:Url={url}",
        $"--MediaServer:Upstream:Providers:{name}:ApiKey={key}",
        $"--MediaServer:Upstream:Providers:{name}:TurnDetection={turns}",
        $"--MediaServer:Upstream:Providers:{name}:Dialect={dialect}",
        $"--MediaServer:Upstream:Providers:{name}:Auth={auth}",
    ];

    public async Task DisposeAsync()
    {
        await Front.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

/// <summary>The upstream tests share one pair of processes.</summary>
[CollectionDefinition(Name)]
public sealed class UpstreamPairCollection : ICollectionFixture<UpstreamPairFixture>
{
    public const string Name = "upstream-pair";
}

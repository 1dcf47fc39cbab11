using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Tools;

[CollectionDefinition("Tools")]
public sealed class ToolsCollection : ICollectionFixture<ToolsFixture>;

/// <summary>Session set-up shared by the tool tests: manual turns, the given tools, text or audio out.</summary>
internal static class ToolTestSupport
{
    public static object McpTool(TestMcpServer server, object? requireApproval = null, string[]? allowed = null, string label = "shop") => new Dictionary<string, object?>
    {
        ["type"] = "mcp",
        ["server_label"] = label,
        ["server_url"] = server.Url,
        ["authorization"] = TestMcpServer.Token,
        ["headers"] = new Dictionary<string, string> { ["X-Test-Header"] = "hello-mcp" },
        ["require_approval"] = requireApproval ?? "never",
        ["allowed_tools"] = allowed,
    };

    public static async Task<RealtimeTestClient> ConnectAsync(ServerProcess server, object[] tools, string[]? modalities = null,
        string? model = null, object? extra = null)
    {
        var client = await RealtimeTestClient.ConnectAsync(server, subprotocols: "realtime");
        await client.WaitForAsync("session.created");
        var session = new Dictionary<string, object?>
        {
            ["type"] = "realtime",
            ["instructions"] = "You are a test agent.",
            ["output_modalities"] = modalities ?? ["text"],
            ["audio"] = new { input = new { turn_detection = (object?)null } },
            ["tools"] = tools,
        };
        if (model is not null)
        {
            session["model"] = model;
        }

        if (extra is Dictionary<string, object?> more)
        {
            foreach (var (k, v) in more)
            {
                session[k] = v;
            }
        }

        await client.SendAsync(new { type = "session.update", session });
        await client.WaitForAsync("session.updated");
        return client;
    }

    public static Task SayAsync(RealtimeTestClient client, string text) =>
        client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } } });

    public static JsonArray Output(JsonObject responseDone) => responseDone["response"]!["output"]!.AsArray();

    /// <summary>Index of the first event of <paramref name="type"/> (matching <paramref name="where"/>), or -1.</summary>
    public static int IndexOf(RealtimeTestClient client, string type, Func<JsonObject, bool>? where = null)
    {
        var events = client.Events;
        for (int i = 0; i < events.Count; i++)
        {
            if ((string?)events[i]["type"] == type && (where is null || where(events[i])))
            {
                return i;
            }
        }

        return -1;
    }
}

using System.Text.Json;
using MediaServer.Signaling.Realtime.Session;
using Microsoft.Extensions.AI;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>Where a tool name the model may call leads: a listed MCP tool, or the built-in web search.</summary>
internal sealed record ServerToolTarget(string ServerLabel, string ToolName, McpServerConnection? Mcp, WebSearchToolConfig? WebSearch)
{
    public bool RequiresApproval => Mcp?.Config.RequiresApproval(ToolName) == true;
}

/// <summary>
/// The server-run tools of one response, by the name the model calls them: every allowed tool of the listed MCP
/// servers and, when declared, <c>web_search</c>. A function tool of the same name wins (the client declared it).
/// </summary>
internal sealed class ServerToolCatalog
{
    private static readonly JsonElement WebSearchSchema = JsonDocument.Parse(
        """{"type":"object","properties":{"query":{"type":"string","description":"What to search the web for."}},"required":["query"]}""").RootElement;

    private readonly Dictionary<string, ServerToolTarget> _targets = new(StringComparer.Ordinal);

    public static ServerToolCatalog Empty { get; } = new();

    /// <summary>Declarations for the model, in the order the servers were declared.</summary>
    public List<AITool> Declarations { get; } = [];

    public bool IsEmpty => _targets.Count == 0;

    /// <summary>The declarations of one server's tools (<c>tool_choice: {type: "mcp", server_label}</c>).</summary>
    public List<AITool> DeclarationsFor(string serverLabel) =>
        [.. Declarations.Where(d => _targets.TryGetValue(d.Name, out var t) && t.ServerLabel == serverLabel)];

    public bool TryGet(string name, out ServerToolTarget target) => _targets.TryGetValue(name, out target!);

    public static ServerToolCatalog Build(IEnumerable<ToolDefinition> tools, IReadOnlyDictionary<string, McpServerConnection?> servers)
    {
        var catalog = new ServerToolCatalog();
        var list = tools.ToList();
        var functionNames = list.Where(t => t.IsFunction).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var tool in list)
        {
            if (tool.Mcp is { } mcp && servers.TryGetValue(mcp.ServerLabel, out var connection) && connection is not null)
            {
                foreach (var listed in connection.AllowedTools)
                {
                    if (!functionNames.Contains(listed.Name) && catalog._targets.TryAdd(listed.Name, new ServerToolTarget(mcp.ServerLabel, listed.Name, connection, null)))
                    {
                        catalog.Declarations.Add(AIFunctionFactory.CreateDeclaration(listed.Name, listed.Description ?? string.Empty, listed.InputSchema));
                    }
                }
            }
            else if (tool.WebSearch is { } search && !functionNames.Contains(WebSearchToolConfig.Label)
                     && catalog._targets.TryAdd(WebSearchToolConfig.Label, new ServerToolTarget(WebSearchToolConfig.Label, WebSearchToolConfig.Label, null, search)))
            {
                catalog.Declarations.Add(AIFunctionFactory.CreateDeclaration(WebSearchToolConfig.Label,
                    "Search the web for current information. Returns titles, addresses and snippets.", WebSearchSchema));
            }
        }

        return catalog;
    }
}

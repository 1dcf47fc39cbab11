using System.Text.Json;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>Reads the tools the server runs itself: <c>type: "mcp"</c> and <c>type: "web_search"</c>.</summary>
internal static class ServerToolReader
{
    public static ToolDefinition? Read(JsonElement tool, string? type, string path, List<RealtimeError> errors)
    {
        switch (type)
        {
            case "mcp":
                return McpToolConfig.Read(tool, path, errors) is { } mcp
                    ? new ToolDefinition(mcp.ServerLabel, mcp.ServerDescription, null) { Mcp = mcp }
                    : null;
            case "web_search":
                return WebSearchToolConfig.Read(tool, path, errors) is { } search
                    ? new ToolDefinition(WebSearchToolConfig.Label, "Search the web.", null) { WebSearch = search }
                    : null;
            default:
                errors.Add(RealtimeError.Invalid("invalid_value", $"Tool type '{type}' is not supported; use 'function', 'mcp' or 'web_search'.", path + ".type"));
                return null;
        }
    }
}

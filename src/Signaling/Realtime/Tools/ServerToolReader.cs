using System.Text.Json;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>Reads the tools the server runs itself: <c>type: "mcp"</c> and <c>type: "web_search"</c>.</summary>
internal static class ServerToolReader
{
    /// <param name="earlier">The tools read before this one: a server_label may be declared once.</param>
    public static ToolDefinition? Read(JsonElement tool, string? type, string path, List<RealtimeError> errors, IReadOnlyList<ToolDefinition> earlier)
    {
        switch (type)
        {
            case "mcp":
                var mcp = McpToolConfig.Read(tool, path, errors);
                if (mcp is not null && earlier.Any(t => t.Mcp?.ServerLabel == mcp.ServerLabel))
                {
                    errors.Add(RealtimeError.Invalid("invalid_value", $"server_label '{mcp.ServerLabel}' is declared twice.", path + ".server_label"));
                    return null;
                }

                return mcp is null ? null : new ToolDefinition(mcp.ServerLabel, mcp.ServerDescription, null) { Mcp = mcp };
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

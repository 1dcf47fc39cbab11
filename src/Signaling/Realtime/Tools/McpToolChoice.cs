using System.Text.Json;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>
/// <c>tool_choice: {type: "mcp", server_label, name?}</c> (REALTIME-PROTOCOL.md §2): the model must call a tool of
/// that MCP server (that one tool when <c>name</c> is given). Kept in the session's tool choice string as
/// <c>mcp:&lt;server_label&gt;</c> with the tool name as the forced function. It binds the response's first model
/// round only: after the server has run the call, the model is free to answer.
/// </summary>
internal static class McpToolChoice
{
    public const string Prefix = "mcp:";

    public static bool IsMcp(string choice) => choice.StartsWith(Prefix, StringComparison.Ordinal);

    public static string Label(string choice) => choice[Prefix.Length..];

    public static bool TryRead(JsonElement v, out string choice, out string? function)
    {
        choice = "auto";
        function = null;
        if (v.ValueKind != JsonValueKind.Object || !v.TryGetProperty("type", out var t) || !t.ValueEquals("mcp")
            || !v.TryGetProperty("server_label", out var label) || label.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(label.GetString()))
        {
            return false;
        }

        choice = Prefix + label.GetString();
        function = v.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return true;
    }

    public static void Write(Utf8JsonWriter w, string choice, string? function)
    {
        w.WriteStartObject();
        w.WriteString("type", "mcp");
        w.WriteString("server_label", Label(choice));
        if (function is not null)
        {
            w.WriteString("name", function);
        }

        w.WriteEndObject();
    }
}

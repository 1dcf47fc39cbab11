using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Signaling.Realtime.Conversation;
using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>
/// The four MCP conversation items of the GA Realtime protocol (openai-python <c>types/realtime/realtime_mcp_*.py</c>):
/// <code>
/// mcp_list_tools        {id, type, server_label, tools:[{name, input_schema, description?, annotations?}]}
/// mcp_call              {id, type, server_label, name, arguments, output?, error?, approval_request_id?}
/// mcp_approval_request  {id, type, server_label, name, arguments}
/// mcp_approval_response {id, type, approval_request_id, approve, reason?}
/// </code>
/// The server creates the first three; a client creates <c>mcp_approval_response</c> with <c>conversation.item.create</c>.
/// </summary>
internal static class McpItems
{
    public const string ListTools = "mcp_list_tools";
    public const string Call = "mcp_call";
    public const string ApprovalRequest = "mcp_approval_request";
    public const string ApprovalResponse = "mcp_approval_response";

    public static bool IsMcp(string type) => type is ListTools or Call or ApprovalRequest or ApprovalResponse;

    /// <summary>Writes the type-specific fields (after <c>id</c>, <c>object</c>, <c>type</c>, <c>status</c>).</summary>
    public static void WriteFields(ConversationItem item, Utf8JsonWriter w)
    {
        switch (item.Type)
        {
            case ListTools:
                w.WriteString("server_label", item.ServerLabel);
                w.WritePropertyName("tools");
                (item.Tools ?? []).WriteTo(w);
                break;
            case Call:
                w.WriteString("server_label", item.ServerLabel);
                w.WriteString("name", item.Name);
                w.WriteString("arguments", item.Arguments ?? string.Empty);
                w.WriteString("approval_request_id", item.ApprovalRequestId);
                w.WriteString("output", item.Output);
                w.WritePropertyName("error");
                if (item.Error is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    item.Error.WriteTo(w);
                }

                break;
            case ApprovalRequest:
                w.WriteString("server_label", item.ServerLabel);
                w.WriteString("name", item.Name);
                w.WriteString("arguments", item.Arguments ?? string.Empty);
                break;
            case ApprovalResponse:
                w.WriteString("approval_request_id", item.ApprovalRequestId);
                w.WriteBoolean("approve", item.Approve);
                if (item.Reason is not null)
                {
                    w.WriteString("reason", item.Reason);
                }

                break;
        }
    }

    /// <summary>Reads a client-supplied MCP item; null (with an error added) when it is malformed.</summary>
    public static ConversationItem? Read(JsonElement item, string type, string id, string path, List<RealtimeError> errors)
    {
        switch (type)
        {
            case ApprovalResponse:
            {
                string? requestId = String(item, "approval_request_id");
                if (requestId is null || !item.TryGetProperty("approve", out var approve) || approve.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add(RealtimeError.Invalid("missing_required_parameter",
                        "mcp_approval_response needs approval_request_id and a boolean approve.", path + (requestId is null ? ".approval_request_id" : ".approve")));
                    return null;
                }

                return new ConversationItem
                {
                    Id = id, Type = ApprovalResponse, ApprovalRequestId = requestId, Approve = approve.GetBoolean(), Reason = String(item, "reason"),
                };
            }

            case ApprovalRequest or Call:
            {
                string? label = String(item, "server_label");
                string? name = String(item, "name");
                if (label is null || name is null)
                {
                    errors.Add(RealtimeError.Invalid("missing_required_parameter", $"{type} needs server_label and name.", path));
                    return null;
                }

                return new ConversationItem
                {
                    Id = id, Type = type, ServerLabel = label, Name = name, Arguments = String(item, "arguments") ?? "",
                    Output = String(item, "output"), ApprovalRequestId = String(item, "approval_request_id"),
                    Error = item.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? (JsonObject)JsonNode.Parse(e.GetRawText())! : null,
                };
            }

            default: // mcp_list_tools
            {
                string? label = String(item, "server_label");
                if (label is null)
                {
                    errors.Add(RealtimeError.Invalid("missing_required_parameter", "mcp_list_tools needs server_label.", path + ".server_label"));
                    return null;
                }

                return new ConversationItem
                {
                    Id = id, Type = ListTools, ServerLabel = label,
                    Tools = item.TryGetProperty("tools", out var t) && t.ValueKind == JsonValueKind.Array ? (JsonArray)JsonNode.Parse(t.GetRawText())! : [],
                };
            }
        }
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

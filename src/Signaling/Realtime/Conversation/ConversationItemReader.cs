using System.Text.Json;
using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Conversation;

/// <summary>Reads and validates a client-supplied item (<c>conversation.item.create</c>, <c>response.create input</c>).</summary>
public static class ConversationItemReader
{
    public static ConversationItem? Read(JsonElement item, string path, List<RealtimeError> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(RealtimeError.Invalid("invalid_type", "item must be an object.", path));
            return null;
        }

        string id = item.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
            ? idElement.GetString()!
            : RealtimeIds.Item();
        string? type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "message":
                return ReadMessage(item, id, path, errors);
            case "function_call":
            {
                string? callId = String(item, "call_id");
                string? name = String(item, "name");
                if (callId is null || name is null)
                {
                    errors.Add(RealtimeError.Invalid("missing_required_parameter", "function_call needs call_id and name.", path));
                    return null;
                }

                return new ConversationItem { Id = id, Type = "function_call", CallId = callId, Name = name, Arguments = String(item, "arguments") ?? "" };
            }

            case "function_call_output":
            {
                string? callId = String(item, "call_id");
                string? output = String(item, "output");
                if (callId is null || output is null)
                {
                    errors.Add(RealtimeError.Invalid("missing_required_parameter",
                        "function_call_output needs call_id and output.", path + (callId is null ? ".call_id" : ".output")));
                    return null;
                }

                return new ConversationItem { Id = id, Type = "function_call_output", CallId = callId, Output = output };
            }

            case not null when Tools.McpItems.IsMcp(type):
                return Tools.McpItems.Read(item, type, id, path, errors);
            default:
                errors.Add(RealtimeError.Invalid("invalid_value",
                    "item.type must be message, function_call, function_call_output or an mcp_* item.", path + ".type"));
                return null;
        }
    }

    private static ConversationItem? ReadMessage(JsonElement item, string id, string path, List<RealtimeError> errors)
    {
        string? role = String(item, "role");
        if (role is not ("user" or "assistant" or "system"))
        {
            errors.Add(RealtimeError.Invalid("invalid_value", "role must be user, assistant or system.", path + ".role"));
            return null;
        }

        if (!item.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            errors.Add(RealtimeError.Invalid("missing_required_parameter", "A message needs a content array.", path + ".content"));
            return null;
        }

        var parts = new List<ContentPart>();
        int index = 0;
        foreach (var part in content.EnumerateArray())
        {
            string partPath = $"{path}.content[{index++}]";
            string? type = String(part, "type");
            bool allowed = role switch
            {
                // Some Inworld guides still spell assistant content "text" / "audio" (REALTIME-PROTOCOL.md §6.2).
                "assistant" => type is "output_text" or "text" or "output_audio" or "audio",
                "system" => type is "input_text",
                _ => type is "input_text" or "input_audio",
            };
            if (!allowed)
            {
                errors.Add(RealtimeError.Invalid("invalid_value", $"Content type '{type}' is not allowed in a {role} message.", partPath + ".type"));
                return null;
            }

            if (type == "input_audio")
            {
                byte[]? audio = null;
                if (String(part, "audio") is { } b64)
                {
                    try
                    {
                        audio = Convert.FromBase64String(b64);
                    }
                    catch (FormatException)
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value", "audio is not valid base64.", partPath + ".audio"));
                        return null;
                    }
                }

                parts.Add(new ContentPart { Type = "input_audio", Audio = audio, Transcript = String(part, "transcript") });
            }
            else if (type is "output_audio" or "audio")
            {
                parts.Add(new ContentPart { Type = "output_audio", Transcript = String(part, "transcript") ?? String(part, "text") ?? "" });
            }
            else
            {
                parts.Add(new ContentPart { Type = type == "text" ? "output_text" : type!, Text = String(part, "text") ?? "" });
            }
        }

        return new ConversationItem { Id = id, Type = "message", Role = role, Content = parts };
    }

    private static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

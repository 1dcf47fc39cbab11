using System.Text.Json;
using MediaServer.Signaling.Realtime.Conversation;
using Microsoft.Extensions.AI;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>Turns conversation items and the session's tools into a <c>Microsoft.Extensions.AI</c> chat request.</summary>
internal static class ChatPromptBuilder
{
    public static List<ChatMessage> Build(string instructions, IReadOnlyList<ConversationItem> items)
    {
        var messages = new List<ChatMessage>();
        List<ConversationItem>? declined = null;
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            messages.Add(new ChatMessage(ChatRole.System, instructions));
        }

        foreach (var item in items)
        {
            switch (item.Type)
            {
                case "message":
                    if (item.VoiceNote is { } note)
                    {
                        // The voice profile reaches the model as context for the turn; it is never spoken.
                        messages.Add(new ChatMessage(ChatRole.System, "How the user said the next message: " + note));
                    }

                    var role = item.Role switch
                    {
                        "assistant" => ChatRole.Assistant,
                        "system" => ChatRole.System,
                        _ => ChatRole.User,
                    };
                    messages.Add(new ChatMessage(role, item.Text));
                    break;
                case "function_call":
                    messages.Add(new ChatMessage(ChatRole.Assistant,
                        [new FunctionCallContent(item.CallId!, item.Name!, ParseArguments(item.Arguments))]));
                    break;
                case "function_call_output":
                    messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(item.CallId!, item.Output)]));
                    break;
                case Tools.McpItems.Call:
                    // The server ran it: the model sees a call and its result, keyed by the item id.
                    messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(item.Id, item.Name!, ParseArguments(item.Arguments))]));
                    messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(item.Id,
                        item.Error is { } error ? "Error: " + ((string?)error["message"] ?? "the tool failed") : item.Output)]));
                    break;
                case Tools.McpItems.ApprovalResponse when !item.Approve:
                    if (declined is null)
                    {
                        declined = [];
                    }

                    declined.Add(item);
                    break;
            }
        }

        // A declined call reaches the model as that call with the refusal as its result, so it can say so.
        foreach (var refusal in declined ?? [])
        {
            if (items.FirstOrDefault(i => i.Id == refusal.ApprovalRequestId && i.Type == Tools.McpItems.ApprovalRequest) is { } request)
            {
                messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(request.Id, request.Name!, ParseArguments(request.Arguments))]));
                messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(request.Id,
                    "The user declined this tool call" + (refusal.Reason is { } reason ? ": " + reason : "."))]));
            }
        }

        return messages;
    }

    public static ChatOptions Options(IReadOnlyList<ToolDefinition> tools, string toolChoice, string? toolChoiceFunction, int? maxOutputTokens,
        IReadOnlyList<AITool>? serverTools = null)
    {
        var options = new ChatOptions { MaxOutputTokens = maxOutputTokens };
        // tool_choice {type: "mcp"}: only that server's tools are offered (the caller passes them as serverTools).
        var functions = Tools.McpToolChoice.IsMcp(toolChoice) ? new List<ToolDefinition>() : tools.Where(t => t.IsFunction).ToList();
        if (functions.Count + (serverTools?.Count ?? 0) > 0 && toolChoice != "none")
        {
            options.Tools = [.. functions.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(
                t.Name,
                t.Description ?? string.Empty,
                t.Parameters is null
                    ? JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement
                    : JsonDocument.Parse(t.Parameters.ToJsonString()).RootElement)), .. serverTools ?? []];
            options.ToolMode = toolChoiceFunction is not null
                ? ChatToolMode.RequireSpecific(toolChoiceFunction)
                : toolChoice == "required" || Tools.McpToolChoice.IsMcp(toolChoice) ? ChatToolMode.RequireAny : ChatToolMode.Auto;
        }
        else
        {
            options.ToolMode = ChatToolMode.None;
        }

        return options;
    }

    /// <summary>A call's JSON arguments as a dictionary; anything but a JSON object gives an empty one.</summary>
    internal static Dictionary<string, object?> ParseArguments(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone())
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

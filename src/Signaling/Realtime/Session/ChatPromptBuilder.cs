using System.Text.Json;
using MediaServer.Signaling.Realtime.Conversation;
using Microsoft.Extensions.AI;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>Turns conversation items and the session's tools into a <c>Microsoft.Extensions.AI</c> chat request.</summary>
internal static class ChatPromptBuilder
{
    public static List<ChatMessage> Build(string instructions, IEnumerable<ConversationItem> items)
    {
        var messages = new List<ChatMessage>();
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
            }
        }

        return messages;
    }

    public static ChatOptions Options(IReadOnlyList<ToolDefinition> tools, string toolChoice, string? toolChoiceFunction, int? maxOutputTokens)
    {
        var options = new ChatOptions { MaxOutputTokens = maxOutputTokens };
        if (tools.Count > 0 && toolChoice != "none")
        {
            options.Tools = [.. tools.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(
                t.Name,
                t.Description ?? string.Empty,
                t.Parameters is null
                    ? JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement
                    : JsonDocument.Parse(t.Parameters.ToJsonString()).RootElement))];
            options.ToolMode = toolChoiceFunction is not null
                ? ChatToolMode.RequireSpecific(toolChoiceFunction)
                : toolChoice == "required" ? ChatToolMode.RequireAny : ChatToolMode.Auto;
        }
        else
        {
            options.ToolMode = ChatToolMode.None;
        }

        return options;
    }

    private static Dictionary<string, object?> ParseArguments(string? json)
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

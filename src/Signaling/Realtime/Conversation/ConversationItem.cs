using System.Text.Json;

namespace MediaServer.Signaling.Realtime.Conversation;

/// <summary>
/// One item of the conversation (REALTIME-PROTOCOL.md §3.1): a message, a function call or a function call output,
/// or one of the MCP items (<c>mcp_list_tools</c>, <c>mcp_call</c>, <c>mcp_approval_request</c>, <c>mcp_approval_response</c>).
/// Audio is kept in the session's wire format so <c>conversation.item.retrieve</c> can return it; every other event
/// leaves audio bytes out.
/// </summary>
public sealed class ConversationItem
{
    public required string Id { get; init; }

    /// <summary><c>message</c>, <c>function_call</c>, <c>function_call_output</c> or an <c>mcp_*</c> item type.</summary>
    public required string Type { get; init; }

    /// <summary><c>user</c>, <c>assistant</c> or <c>system</c> for messages.</summary>
    public string? Role { get; init; }

    /// <summary><c>in_progress</c>, <c>completed</c> or <c>incomplete</c>.</summary>
    public string Status { get; set; } = "completed";

    public List<ContentPart> Content { get; init; } = [];

    public string? CallId { get; init; }

    public string? Name { get; init; }

    public string? Arguments { get; set; }

    public string? Output { get; set; }

    /// <summary>MCP items: the <c>server_label</c> of the tool's server.</summary>
    public string? ServerLabel { get; init; }

    /// <summary><c>mcp_list_tools</c>: the tools the server listed (an array of <c>{name, input_schema, description?, annotations?}</c>).</summary>
    public System.Text.Json.Nodes.JsonArray? Tools { get; set; }

    /// <summary><c>mcp_call</c>: <c>{type: protocol_error|tool_execution_error|http_error, code?, message}</c> when the call failed.</summary>
    public System.Text.Json.Nodes.JsonObject? Error { get; set; }

    /// <summary><c>mcp_call</c> (the request it ran for) and <c>mcp_approval_response</c> (the request it answers).</summary>
    public string? ApprovalRequestId { get; init; }

    /// <summary><c>mcp_approval_response</c>: whether the client approved the call.</summary>
    public bool Approve { get; init; }

    /// <summary><c>mcp_approval_response</c>: the client's optional reason.</summary>
    public string? Reason { get; init; }

    /// <summary>How the user sounded (a compact note for the LLM, never sent to clients), for user audio turns.</summary>
    public string? VoiceNote { get; set; }

    /// <summary>The text this item contributes to a chat prompt (transcripts and text parts joined).</summary>
    public string Text => string.Join(" ", Content.Select(c => c.Text ?? c.Transcript).Where(t => !string.IsNullOrEmpty(t)));

    public void WriteTo(Utf8JsonWriter w, bool includeAudio = false)
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("object", "realtime.item");
        w.WriteString("type", Type);
        w.WriteString("status", Status);
        switch (Type)
        {
            case "message":
                w.WriteString("role", Role);
                w.WriteStartArray("content");
                foreach (var part in Content)
                {
                    part.WriteTo(w, includeAudio);
                }

                w.WriteEndArray();
                break;
            case "function_call":
                w.WriteString("call_id", CallId);
                w.WriteString("name", Name);
                w.WriteString("arguments", Arguments ?? string.Empty);
                break;
            case "function_call_output":
                w.WriteString("call_id", CallId);
                w.WriteString("output", Output);
                break;
            default:
                MediaServer.Signaling.Realtime.Tools.McpItems.WriteFields(this, w);
                break;
        }

        w.WriteEndObject();
    }
}

/// <summary>A content part of a message item.</summary>
public sealed class ContentPart
{
    /// <summary><c>input_text</c>, <c>input_audio</c>, <c>output_text</c> or <c>output_audio</c>.</summary>
    public required string Type { get; init; }

    public string? Text { get; set; }

    /// <summary>For audio parts; null on an input_audio part until transcription finishes.</summary>
    public string? Transcript { get; set; }

    /// <summary>Audio in the session's wire format (input format for user audio, output format for the agent's).</summary>
    public byte[]? Audio { get; set; }

    public void WriteTo(Utf8JsonWriter w, bool includeAudio)
    {
        w.WriteStartObject();
        w.WriteString("type", Type);
        switch (Type)
        {
            case "input_text" or "output_text" or "text":
                w.WriteString("text", Text ?? string.Empty);
                break;
            case "input_audio" or "output_audio" or "audio":
                if (includeAudio && Audio is not null)
                {
                    w.WriteBase64String("audio", Audio);
                }

                w.WriteString("transcript", Transcript);
                break;
        }

        w.WriteEndObject();
    }
}

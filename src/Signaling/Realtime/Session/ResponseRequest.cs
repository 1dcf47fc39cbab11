using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Signaling.Realtime.Conversation;
using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// The per-response overrides of <c>response.create</c> (REALTIME-PROTOCOL.md §3.2), resolved against the session:
/// what is absent falls back to the session's value.
/// </summary>
public sealed class ResponseRequest
{
    public string? Instructions { get; set; }

    public List<string>? OutputModalities { get; set; }

    public RealtimeAudioFormat? OutputFormat { get; set; }

    public string? Voice { get; set; }

    public List<ToolDefinition>? Tools { get; set; }

    public string? ToolChoice { get; set; }

    public string? ToolChoiceFunction { get; set; }

    public bool MaxOutputTokensSet { get; set; }

    public int? MaxOutputTokens { get; set; }

    public JsonObject? Metadata { get; set; }

    /// <summary>Sampling temperature for this response (Inworld); null: the session's.</summary>
    public double? Temperature { get; set; }

    /// <summary>False for <c>conversation: "none"</c> (out-of-band): nothing is written to the conversation.</summary>
    public bool WritesToConversation { get; set; } = true;

    /// <summary>Words to speak as they are, without the model (the tool-wait filler); never set from the wire.</summary>
    internal string? ScriptedText { get; init; }

    /// <summary>A custom context (<c>input</c>); null means the whole default conversation.</summary>
    public List<ConversationItem>? Input { get; set; }

    /// <summary>Reads a <c>response</c> object; item references are resolved against <paramref name="conversation"/>.</summary>
    public static ResponseRequest Read(JsonElement response, ConversationLog conversation, List<RealtimeError> errors)
    {
        var request = new ResponseRequest();
        if (response.ValueKind == JsonValueKind.Undefined || response.ValueKind == JsonValueKind.Null)
        {
            return request;
        }

        if (response.ValueKind != JsonValueKind.Object)
        {
            errors.Add(RealtimeError.Invalid("invalid_type", "response must be an object.", "response"));
            return request;
        }

        foreach (var p in response.EnumerateObject())
        {
            string path = "response." + p.Name;
            var v = p.Value;
            switch (p.Name)
            {
                case "instructions":
                    if (v.ValueKind == JsonValueKind.String)
                    {
                        request.Instructions = v.GetString();
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_type", "instructions must be a string.", path));
                    }

                    break;
                case "output_modalities" or "modalities":
                    if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(m => m.ValueKind == JsonValueKind.String && m.GetString() is "audio" or "text") && v.GetArrayLength() > 0)
                    {
                        request.OutputModalities = [.. v.EnumerateArray().Select(m => m.GetString()!).Distinct()];
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value", "output_modalities accepts 'audio' and 'text'.", path));
                    }

                    break;
                case "audio":
                    ReadAudio(request, v, path, errors);
                    break;
                case "tools":
                    request.Tools = SessionConfigReader.ReadToolList(v, path, errors);
                    break;
                case "tool_choice":
                    if (SessionConfigReader.TryReadToolChoice(v, out string choice, out string? function))
                    {
                        request.ToolChoice = choice;
                        request.ToolChoiceFunction = function;
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value", "tool_choice must be 'auto', 'none', 'required' or {type: 'function', name}.", path));
                    }

                    break;
                case "max_output_tokens" or "max_response_output_tokens":
                    SessionConfigReader.ReadMaxTokens(v, path, errors, max =>
                    {
                        request.MaxOutputTokensSet = true;
                        request.MaxOutputTokens = max;
                    });
                    break;
                case "metadata":
                    if (v.ValueKind == JsonValueKind.Object)
                    {
                        request.Metadata = (JsonObject)JsonNode.Parse(v.GetRawText())!;
                    }
                    else if (v.ValueKind != JsonValueKind.Null)
                    {
                        errors.Add(RealtimeError.Invalid("invalid_type", "metadata must be an object of strings.", path));
                    }

                    break;
                case "conversation":
                    if (v.ValueKind == JsonValueKind.String && v.GetString() is "auto" or "none")
                    {
                        request.WritesToConversation = v.GetString() == "auto";
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value", "conversation must be 'auto' or 'none'.", path));
                    }

                    break;
                case "input":
                    request.Input = ReadInput(v, path, conversation, errors);
                    break;
                case "temperature":
                    SessionConfigReader.ReadTemperature(v, path, errors, t => request.Temperature = t);
                    break;
                case "prompt":
                    break;
                default:
                    errors.Add(RealtimeError.Invalid("unknown_parameter", $"Unknown parameter: '{path}'.", path));
                    break;
            }
        }

        return request;
    }

    private static void ReadAudio(ResponseRequest request, JsonElement v, string path, List<RealtimeError> errors)
    {
        if (v.ValueKind != JsonValueKind.Object || !v.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.Object)
        {
            errors.Add(RealtimeError.Invalid("invalid_type", "audio must be {output: {format?, voice?}}.", path));
            return;
        }

        if (output.TryGetProperty("format", out var format))
        {
            if (RealtimeAudioFormat.TryParse(format, out var f, out string? error))
            {
                request.OutputFormat = f;
            }
            else
            {
                errors.Add(RealtimeError.Invalid("invalid_value", error!, path + ".output.format"));
            }
        }

        if (output.TryGetProperty("voice", out var voice))
        {
            if (voice.ValueKind == JsonValueKind.String)
            {
                request.Voice = voice.GetString();
            }
            else
            {
                errors.Add(RealtimeError.Invalid("invalid_type", "voice must be a string.", path + ".output.voice"));
            }
        }
    }

    private static List<ConversationItem>? ReadInput(JsonElement v, string path, ConversationLog conversation, List<RealtimeError> errors)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(RealtimeError.Invalid("invalid_type", "input must be an array of items or item references.", path));
            return null;
        }

        var items = new List<ConversationItem>();
        int index = 0;
        foreach (var element in v.EnumerateArray())
        {
            string itemPath = $"{path}[{index++}]";
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var t) && t.ValueEquals("item_reference"))
            {
                string? id = element.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
                if (id is not null && conversation.Find(id) is { } referenced)
                {
                    items.Add(referenced);
                }
                else
                {
                    errors.Add(RealtimeError.Invalid("invalid_value", $"No item with id '{id}' in the conversation.", itemPath + ".id"));
                }

                continue;
            }

            if (ConversationItemReader.Read(element, itemPath, errors) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// Merges a <c>session</c> object (from <c>session.update</c>, a client secret or a call's accept body) into a
/// <see cref="SessionConfig"/>: only the fields present change; <c>null</c> turns off transcription, turn
/// detection, noise reduction and tracing. Every unknown or invalid field is reported with its full path
/// (<c>session.audio.output.speed</c>) so the client learns exactly what was wrong.
/// </summary>
public static class SessionConfigReader
{
    private static readonly string[] SupportedVoices =
        ["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"];

    /// <summary>Applies <paramref name="session"/> to <paramref name="target"/>; returns the errors found (none = applied).</summary>
    public static List<RealtimeError> Apply(SessionConfig target, JsonElement session)
    {
        var errors = new List<RealtimeError>();
        if (session.ValueKind != JsonValueKind.Object)
        {
            errors.Add(RealtimeError.Invalid("invalid_type", "session must be an object.", "session"));
            return errors;
        }

        foreach (var p in session.EnumerateObject())
        {
            string path = "session." + p.Name;
            var v = p.Value;
            switch (p.Name)
            {
                case "type":
                    if (v.ValueKind != JsonValueKind.String || v.GetString() != "realtime")
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value",
                            "Only type 'realtime' sessions are supported on this endpoint.", path));
                    }

                    break;
                case "model" or "modelId":
                    if (RequireString(v, path, errors) is { } model)
                    {
                        target.Model = model;
                    }

                    break;
                case "instructions":
                    if (RequireString(v, path, errors) is { } instructions)
                    {
                        target.Instructions = instructions;
                    }

                    break;
                case "output_modalities" or "modalities":
                    ReadModalities(target, v, path, errors);
                    break;
                case "audio":
                    ReadAudio(target, v, path, errors);
                    break;
                case "tools":
                    ReadTools(target, v, path, errors);
                    break;
                case "tool_choice":
                    ReadToolChoice(target, v, path, errors);
                    break;
                case "max_output_tokens" or "max_response_output_tokens":
                    ReadMaxTokens(v, path, errors, max => target.MaxOutputTokens = max);
                    break;
                case "truncation":
                    if (v.ValueKind == JsonValueKind.String && v.GetString() is "auto" or "disabled")
                    {
                        target.Truncation = JsonValue.Create(v.GetString());
                    }
                    else if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("type", out var tt)
                             && tt.ValueEquals("retention_ratio"))
                    {
                        target.Truncation = JsonNode.Parse(v.GetRawText());
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value",
                            "truncation must be 'auto', 'disabled' or a retention_ratio object.", path));
                    }

                    break;
                case "tracing":
                    target.Tracing = v.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(v.GetRawText());
                    break;
                case "prompt":
                    target.Prompt = v.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(v.GetRawText());
                    break;
                case "include":
                    ReadInclude(target, v, path, errors);
                    break;
                case "providerData":
                    if (v.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(RealtimeError.Invalid("invalid_type", "providerData must be an object.", path));
                        break;
                    }

                    target.ProviderData ??= [];
                    DeepMerge(target.ProviderData, (JsonObject)JsonNode.Parse(v.GetRawText())!);
                    break;
                case "temperature":
                    // Removed in GA, still sent by Inworld and beta clients: passed to the LLM.
                    ReadTemperature(v, path, errors, t => target.Temperature = t);
                    break;
                case "object" or "id" or "expires_at":
                    // Echoed back by clients that resend a session object they received.
                    break;
                default:
                    errors.Add(RealtimeError.Invalid("unknown_parameter", $"Unknown parameter: '{path}'.", path));
                    break;
            }
        }

        return errors;
    }

    private static void ReadModalities(SessionConfig target, JsonElement v, string path, List<RealtimeError> errors)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
        {
            errors.Add(RealtimeError.Invalid("invalid_type", "output_modalities must be a non-empty array.", path));
            return;
        }

        var list = new List<string>();
        foreach (var m in v.EnumerateArray())
        {
            string? s = m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (s is not ("audio" or "text"))
            {
                errors.Add(RealtimeError.Invalid("invalid_value", "output_modalities accepts 'audio' and 'text'.", path));
                return;
            }

            if (!list.Contains(s))
            {
                list.Add(s);
            }
        }

        target.OutputModalities = list;
    }

    private static void ReadAudio(SessionConfig target, JsonElement v, string path, List<RealtimeError> errors)
    {
        if (v.ValueKind != JsonValueKind.Object)
        {
            errors.Add(RealtimeError.Invalid("invalid_type", "audio must be an object.", path));
            return;
        }

        foreach (var side in v.EnumerateObject())
        {
            string sidePath = path + "." + side.Name;
            if (side.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(RealtimeError.Invalid("invalid_type", $"{side.Name} must be an object.", sidePath));
                continue;
            }

            if (side.Name == "input")
            {
                ReadAudioInput(target, side.Value, sidePath, errors);
            }
            else if (side.Name == "output")
            {
                ReadAudioOutput(target, side.Value, sidePath, errors);
            }
            else
            {
                errors.Add(RealtimeError.Invalid("unknown_parameter", $"Unknown parameter: '{sidePath}'.", sidePath));
            }
        }
    }

    private static void ReadAudioInput(SessionConfig target, JsonElement v, string path, List<RealtimeError> errors)
    {
        foreach (var p in v.EnumerateObject())
        {
            string fieldPath = path + "." + p.Name;
            switch (p.Name)
            {
                case "format":
                    if (RealtimeAudioFormat.TryParse(p.Value, out var format, out string? error))
                    {
                        target.InputFormat = format;
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value", error!, fieldPath));
                    }

                    break;
                case "transcription":
                    ReadTranscription(target, p.Value, fieldPath, errors);
                    break;
                case "noise_reduction":
                    if (p.Value.ValueKind == JsonValueKind.Null)
                    {
                        target.NoiseReduction = null;
                    }
                    else if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("type", out var t)
                             && (t.ValueEquals("near_field") || t.ValueEquals("far_field")))
                    {
                        target.NoiseReduction = JsonNode.Parse(p.Value.GetRawText());
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value",
                            "noise_reduction must be null or {type: near_field|far_field}.", fieldPath));
                    }

                    break;
                case "turn_detection":
                    ReadTurnDetection(target, p.Value, fieldPath, errors);
                    break;
                default:
                    errors.Add(RealtimeError.Invalid("unknown_parameter", $"Unknown parameter: '{fieldPath}'.", fieldPath));
                    break;
            }
        }
    }

    private static void ReadTranscription(SessionConfig target, JsonElement v, string path, List<RealtimeError> errors)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            target.Transcription = null;
            return;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            errors.Add(RealtimeError.Invalid("invalid_type", "transcription must be an object or null.", path));
            return;
        }

        var current = target.Transcription ?? new TranscriptionConfig(null, null, null);
        foreach (var p in v.EnumerateObject())
        {
            string fieldPath = path + "." + p.Name;
            switch (p.Name)
            {
                case "model":
                    current = current with { Model = RequireString(p.Value, fieldPath, errors) };
                    break;
                case "language":
                    current = current with { Language = OptionalString(p.Value, fieldPath, errors) };
                    break;
                case "prompt":
                    current = current with { Prompt = OptionalString(p.Value, fieldPath, errors) };
                    break;
                case "languages" or "keywords" or "delay":
                    break; // newer SDK hints; accepted, not used by the embedded engine
                default:
                    errors.Add(RealtimeError.Invalid("unknown_parameter", $"Unknown parameter: '{fieldPath}'.", fieldPath));
                    break;
            }
        }

        target.Transcription = current;
    }

    private static void ReadTurnDetection(SessionConfig target, JsonElement v, string path, List<RealtimeError> errors)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            target.TurnDetection = null;
            return;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            errors.Add(RealtimeError.Invalid("invalid_type", "turn_detection must be an object or null.", path));
            return;
        }

        string type = v.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()!
            : target.TurnDetection?.Type ?? "server_vad";
        if (type is not ("server_vad" or "semantic_vad"))
        {
            errors.Add(RealtimeError.Invalid("invalid_value", "turn_detection.type must be server_vad or semantic_vad.", path + ".type"));
            return;
        }

        // A change of type starts from that type's defaults; the same type merges.
        var td = target.TurnDetection is { } existing && existing.Type == type ? existing : new TurnDetectionConfig { Type = type };
        foreach (var p in v.EnumerateObject())
        {
            string fieldPath = path + "." + p.Name;
            var pv = p.Value;
            switch (p.Name)
            {
                case "type":
                    break;
                case "threshold" when type == "server_vad":
                    if (pv.ValueKind == JsonValueKind.Number && pv.GetDouble() is >= 0 and <= 1)
                    {
                        td = td with { Threshold = pv.GetDouble() };
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value", "threshold must be a number from 0 to 1.", fieldPath));
                    }

                    break;
                case "prefix_padding_ms" when type == "server_vad":
                    ReadMs(pv, fieldPath, errors, 0, 10_000, ms => td = td with { PrefixPaddingMs = ms });
                    break;
                case "silence_duration_ms" when type == "server_vad":
                    ReadMs(pv, fieldPath, errors, 0, 10_000, ms => td = td with { SilenceDurationMs = ms });
                    break;
                case "idle_timeout_ms" when type == "server_vad":
                    if (pv.ValueKind == JsonValueKind.Null)
                    {
                        td = td with { IdleTimeoutMs = null };
                    }
                    else
                    {
                        ReadMs(pv, fieldPath, errors, 5_000, 30_000, ms => td = td with { IdleTimeoutMs = ms });
                    }

                    break;
                case "eagerness" when type == "semantic_vad":
                    if (pv.ValueKind == JsonValueKind.String && pv.GetString() is "low" or "medium" or "high" or "auto")
                    {
                        td = td with { Eagerness = pv.GetString()! };
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value", "eagerness must be low, medium, high or auto.", fieldPath));
                    }

                    break;
                case "create_response":
                    if (RequireBool(pv, fieldPath, errors) is bool create)
                    {
                        td = td with { CreateResponse = create };
                    }

                    break;
                case "interrupt_response":
                    if (RequireBool(pv, fieldPath, errors) is bool interrupt)
                    {
                        td = td with { InterruptResponse = interrupt };
                    }

                    break;
                case "backchannel_handling":
                    if (pv.ValueKind == JsonValueKind.String && pv.GetString() is "ignore" or "record" or "interrupt")
                    {
                        td = td with { BackchannelHandling = pv.GetString()! };
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value", "backchannel_handling must be ignore, record or interrupt.", fieldPath));
                    }

                    break;
                case "false_interruption_timeout_ms":
                    if (pv.ValueKind == JsonValueKind.Null)
                    {
                        td = td with { FalseInterruptionTimeoutMs = null };
                    }
                    else
                    {
                        ReadMs(pv, fieldPath, errors, 200, 10_000, ms => td = td with { FalseInterruptionTimeoutMs = ms });
                    }

                    break;
                case "false_interruption_recovery":
                    if (pv.ValueKind == JsonValueKind.String && pv.GetString() is "resume" or "acknowledge" or "none")
                    {
                        td = td with { FalseInterruptionRecovery = pv.GetString()! };
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value", "false_interruption_recovery must be resume, acknowledge or none.", fieldPath));
                    }

                    break;
                default:
                    errors.Add(RealtimeError.Invalid("unknown_parameter", $"Unknown parameter: '{fieldPath}'.", fieldPath));
                    break;
            }
        }

        target.TurnDetection = td;
    }

    private static void ReadAudioOutput(SessionConfig target, JsonElement v, string path, List<RealtimeError> errors)
    {
        foreach (var p in v.EnumerateObject())
        {
            string fieldPath = path + "." + p.Name;
            switch (p.Name)
            {
                case "format":
                    if (RealtimeAudioFormat.TryParse(p.Value, out var format, out string? error))
                    {
                        target.OutputFormat = format;
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value", error!, fieldPath));
                    }

                    break;
                case "voice":
                    if (p.Value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(p.Value.GetString()))
                    {
                        target.Voice = p.Value.GetString()!;
                    }
                    else if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("id", out var id)
                             && id.ValueKind == JsonValueKind.String)
                    {
                        target.Voice = id.GetString()!;
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value",
                            $"voice must be a voice name ({string.Join(", ", SupportedVoices)}) or {{id}}.", fieldPath));
                    }

                    break;
                case "speed":
                    if (p.Value.ValueKind == JsonValueKind.Number && p.Value.GetDouble() is >= 0.25 and <= 1.5)
                    {
                        target.Speed = p.Value.GetDouble();
                    }
                    else
                    {
                        errors.Add(RealtimeError.Invalid("invalid_value", "speed must be a number from 0.25 to 1.5.", fieldPath));
                    }

                    break;
                case "model":
                    // Inworld's TTS model selector: flite / espeak-ng choose an embedded engine (see SessionConfig.OutputModel).
                    target.OutputModel = OptionalString(p.Value, fieldPath, errors);
                    break;
                default:
                    errors.Add(RealtimeError.Invalid("unknown_parameter", $"Unknown parameter: '{fieldPath}'.", fieldPath));
                    break;
            }
        }
    }

    /// <summary>Reads a <c>tools</c> array: function tools here, server tools (mcp, web_search) in <see cref="Tools.ServerToolReader"/>.</summary>
    public static List<ToolDefinition>? ReadToolList(JsonElement v, string path, List<RealtimeError> errors)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(RealtimeError.Invalid("invalid_type", "tools must be an array.", path));
            return null;
        }

        var tools = new List<ToolDefinition>();
        int index = 0;
        foreach (var tool in v.EnumerateArray())
        {
            string toolPath = $"{path}[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                errors.Add(RealtimeError.Invalid("invalid_type", "Each tool must be an object.", toolPath));
                continue;
            }

            string? type = tool.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "function";
            if (type != "function")
            {
                if (Tools.ServerToolReader.Read(tool, type, toolPath, errors, tools) is { } serverTool)
                {
                    tools.Add(serverTool);
                }

                continue;
            }

            if (!tool.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(name.GetString()))
            {
                errors.Add(RealtimeError.Invalid("missing_required_parameter", "A function tool needs a name.", toolPath + ".name"));
                continue;
            }

            string? description = tool.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            JsonNode? parameters = tool.TryGetProperty("parameters", out var ps) && ps.ValueKind == JsonValueKind.Object
                ? JsonNode.Parse(ps.GetRawText())
                : null;
            tools.Add(new ToolDefinition(name.GetString()!, description, parameters));
        }

        return tools;
    }

    private static void ReadTools(SessionConfig target, JsonElement v, string path, List<RealtimeError> errors)
    {
        if (ReadToolList(v, path, errors) is { } tools)
        {
            target.Tools = tools;
        }
    }

    /// <summary>Reads <c>tool_choice</c>: a mode string, <c>{type: "function", name}</c> or <c>{type: "mcp", server_label, name?}</c>.</summary>
    public static bool TryReadToolChoice(JsonElement v, out string choice, out string? function)
    {
        choice = "auto";
        function = null;
        if (v.ValueKind == JsonValueKind.String && v.GetString() is "auto" or "none" or "required")
        {
            choice = v.GetString()!;
            return true;
        }

        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("type", out var t) && t.ValueEquals("function")
            && v.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
        {
            choice = "required";
            function = n.GetString();
            return true;
        }

        return Tools.McpToolChoice.TryRead(v, out choice, out function);
    }

    private static void ReadToolChoice(SessionConfig target, JsonElement v, string path, List<RealtimeError> errors)
    {
        if (TryReadToolChoice(v, out string choice, out string? function))
        {
            target.ToolChoice = choice;
            target.ToolChoiceFunction = function;
        }
        else
        {
            errors.Add(RealtimeError.Invalid("invalid_value",
                "tool_choice must be 'auto', 'none', 'required' or {type: 'function', name}.", path));
        }
    }

    /// <summary>Reads <c>max_output_tokens</c>: 1 to 4096 or <c>"inf"</c> (null).</summary>
    public static void ReadMaxTokens(JsonElement v, string path, List<RealtimeError> errors, Action<int?> set)
    {
        if (v.ValueKind == JsonValueKind.String && v.GetString() == "inf")
        {
            set(null);
        }
        else if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n) && n is >= 1 and <= 4096)
        {
            set(n);
        }
        else
        {
            errors.Add(RealtimeError.Invalid("invalid_value", "max_output_tokens must be an integer from 1 to 4096 or 'inf'.", path));
        }
    }

    private static void ReadInclude(SessionConfig target, JsonElement v, string path, List<RealtimeError> errors)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(RealtimeError.Invalid("invalid_type", "include must be an array of strings.", path));
            return;
        }

        target.Include = [.. v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
    }

    private static void ReadMs(JsonElement v, string path, List<RealtimeError> errors, int min, int max, Action<int> set)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int ms) && ms >= min && ms <= max)
        {
            set(ms);
        }
        else
        {
            errors.Add(RealtimeError.Invalid("invalid_value", $"{path[(path.LastIndexOf('.') + 1)..]} must be an integer from {min} to {max}.", path));
        }
    }

    private static string? RequireString(JsonElement v, string path, List<RealtimeError> errors)
    {
        if (v.ValueKind == JsonValueKind.String)
        {
            return v.GetString();
        }

        errors.Add(RealtimeError.Invalid("invalid_type", $"{path} must be a string.", path));
        return null;
    }

    private static string? OptionalString(JsonElement v, string path, List<RealtimeError> errors) =>
        v.ValueKind == JsonValueKind.Null ? null : RequireString(v, path, errors);

    private static bool? RequireBool(JsonElement v, string path, List<RealtimeError> errors)
    {
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetBoolean();
        }

        errors.Add(RealtimeError.Invalid("invalid_type", $"{path} must be a boolean.", path));
        return null;
    }

    /// <summary>Reads <c>temperature</c>: a number from 0 to 2, or null (the model's default).</summary>
    public static void ReadTemperature(JsonElement v, string path, List<RealtimeError> errors, Action<double?> set)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            set(null);
        }
        else if (v.ValueKind == JsonValueKind.Number && v.GetDouble() is >= 0 and <= 2)
        {
            set(v.GetDouble());
        }
        else
        {
            errors.Add(RealtimeError.Invalid("invalid_value", "temperature must be a number from 0 to 2.", path));
        }
    }

    /// <summary>Deep merge used for <c>providerData</c>: objects merge key by key, everything else replaces.</summary>
    public static void DeepMerge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToList())
        {
            if (value is JsonObject sourceChild && target[key] is JsonObject targetChild)
            {
                DeepMerge(targetChild, sourceChild);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}

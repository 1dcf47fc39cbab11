using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// The effective configuration of one realtime session (REALTIME-PROTOCOL.md §2). <c>session.update</c> merges into
/// a clone through <see cref="SessionConfigReader"/> and the clone replaces this only when the whole update is valid.
/// </summary>
public sealed class SessionConfig
{
    public string Id { get; set; } = RealtimeIds.Session();

    public string Type { get; set; } = "realtime";

    public string Model { get; set; } = "gpt-realtime";

    public string Instructions { get; set; } = string.Empty;

    public List<string> OutputModalities { get; set; } = ["audio"];

    public RealtimeAudioFormat InputFormat { get; set; } = RealtimeAudioFormat.Pcm24k;

    public RealtimeAudioFormat OutputFormat { get; set; } = RealtimeAudioFormat.Pcm24k;

    public TranscriptionConfig? Transcription { get; set; }

    public JsonNode? NoiseReduction { get; set; }

    public TurnDetectionConfig? TurnDetection { get; set; } = new();

    public string Voice { get; set; } = "marin";

    public double Speed { get; set; } = 1.0;

    /// <summary><c>audio.output.model</c> (Inworld's TTS model): <c>flite</c> or <c>espeak-ng</c> pick that embedded
    /// engine; other names (<c>inworld-tts-2</c>) are kept and echoed, and the default engine speaks.</summary>
    public string? OutputModel { get; set; }

    /// <summary>Sampling temperature (Inworld and beta clients send it; GA removed it). Null: the model's default.</summary>
    public double? Temperature { get; set; }

    /// <summary>Inworld dialect: each <c>input_audio_transcription.delta</c> carries the whole transcript so far
    /// (a rolling rewrite) instead of OpenAI's additive pieces. Set for sessions opened on Inworld's URL.</summary>
    public bool RollingTranscriptionDeltas { get; set; }

    public List<ToolDefinition> Tools { get; set; } = [];

    /// <summary><c>auto</c>, <c>none</c>, <c>required</c>, or a function name when a specific function is forced.</summary>
    public string ToolChoice { get; set; } = "auto";

    public string? ToolChoiceFunction { get; set; }

    /// <summary>Null means <c>"inf"</c>.</summary>
    public int? MaxOutputTokens { get; set; }

    public JsonNode? Truncation { get; set; } = JsonValue.Create("auto");

    public JsonNode? Tracing { get; set; }

    public JsonNode? Prompt { get; set; }

    public List<string> Include { get; set; } = [];

    /// <summary>Inworld's extension object, deep-merged on every update and echoed back.</summary>
    public JsonObject? ProviderData { get; set; }

    /// <summary>Unix seconds at which the session ends (its maximum length).</summary>
    public long ExpiresAt { get; set; }

    public bool AudioOutput => OutputModalities.Contains("audio");

    public SessionConfig Clone()
    {
        var copy = (SessionConfig)MemberwiseClone();
        copy.OutputModalities = [.. OutputModalities];
        copy.Transcription = Transcription is null ? null : Transcription with { };
        copy.TurnDetection = TurnDetection is null ? null : TurnDetection with { };
        copy.Tools = [.. Tools];
        copy.Include = [.. Include];
        copy.NoiseReduction = NoiseReduction?.DeepClone();
        copy.Truncation = Truncation?.DeepClone();
        copy.Tracing = Tracing?.DeepClone();
        copy.Prompt = Prompt?.DeepClone();
        copy.ProviderData = (JsonObject?)ProviderData?.DeepClone();
        return copy;
    }

    /// <summary>Writes the full effective session object, as <c>session.created/updated</c> carry it.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", Type);
        w.WriteString("object", "realtime.session");
        w.WriteString("id", Id);
        w.WriteString("model", Model);
        w.WriteStartArray("output_modalities");
        foreach (var m in OutputModalities)
        {
            w.WriteStringValue(m);
        }

        w.WriteEndArray();
        w.WriteString("instructions", Instructions);
        w.WriteStartObject("audio");
        w.WriteStartObject("input");
        w.WritePropertyName("format");
        InputFormat.WriteTo(w);
        w.WritePropertyName("transcription");
        if (Transcription is null)
        {
            w.WriteNullValue();
        }
        else
        {
            Transcription.WriteTo(w);
        }

        w.WritePropertyName("noise_reduction");
        WriteNode(w, NoiseReduction);
        w.WritePropertyName("turn_detection");
        if (TurnDetection is null)
        {
            w.WriteNullValue();
        }
        else
        {
            TurnDetection.WriteTo(w);
        }

        w.WriteEndObject();
        w.WriteStartObject("output");
        w.WritePropertyName("format");
        OutputFormat.WriteTo(w);
        w.WriteString("voice", Voice);
        w.WriteNumber("speed", Speed);
        if (OutputModel is not null)
        {
            w.WriteString("model", OutputModel);
        }
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("tools");
        foreach (var tool in Tools)
        {
            tool.WriteTo(w);
        }

        w.WriteEndArray();
        w.WritePropertyName("tool_choice");
        if (MediaServer.Signaling.Realtime.Tools.McpToolChoice.IsMcp(ToolChoice))
        {
            MediaServer.Signaling.Realtime.Tools.McpToolChoice.Write(w, ToolChoice, ToolChoiceFunction);
        }
        else if (ToolChoiceFunction is not null)
        {
            w.WriteStartObject();
            w.WriteString("type", "function");
            w.WriteString("name", ToolChoiceFunction);
            w.WriteEndObject();
        }
        else
        {
            w.WriteStringValue(ToolChoice);
        }

        if (MaxOutputTokens is int max)
        {
            w.WriteNumber("max_output_tokens", max);
        }
        else
        {
            w.WriteString("max_output_tokens", "inf");
        }

        if (Temperature is double temperature)
        {
            w.WriteNumber("temperature", temperature);
        }

        w.WritePropertyName("truncation");
        WriteNode(w, Truncation);
        w.WritePropertyName("tracing");
        WriteNode(w, Tracing);
        w.WritePropertyName("prompt");
        WriteNode(w, Prompt);
        if (Include.Count > 0)
        {
            w.WriteStartArray("include");
            foreach (var i in Include)
            {
                w.WriteStringValue(i);
            }

            w.WriteEndArray();
        }

        w.WriteNumber("expires_at", ExpiresAt);
        if (ProviderData is not null)
        {
            w.WritePropertyName("providerData");
            ProviderData.WriteTo(w);
        }

        w.WriteEndObject();
    }

    internal static void WriteNode(Utf8JsonWriter w, JsonNode? node)
    {
        if (node is null)
        {
            w.WriteNullValue();
        }
        else
        {
            node.WriteTo(w);
        }
    }
}

/// <summary><c>audio.input.transcription</c>.</summary>
public sealed record TranscriptionConfig(string? Model, string? Language, string? Prompt)
{
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("model", Model);
        if (Language is not null)
        {
            w.WriteString("language", Language);
        }

        if (Prompt is not null)
        {
            w.WriteString("prompt", Prompt);
        }

        w.WriteEndObject();
    }
}

/// <summary><c>audio.input.turn_detection</c>: <c>server_vad</c> or <c>semantic_vad</c> with OpenAI's defaults.</summary>
public sealed record TurnDetectionConfig
{
    public string Type { get; init; } = "server_vad";

    public double Threshold { get; init; } = 0.5;

    public int PrefixPaddingMs { get; init; } = 300;

    public int SilenceDurationMs { get; init; } = 500;

    public bool CreateResponse { get; init; } = true;

    public bool InterruptResponse { get; init; } = true;

    public int? IdleTimeoutMs { get; init; }

    /// <summary><c>low</c>, <c>medium</c>, <c>high</c> or <c>auto</c> (semantic_vad only).</summary>
    public string Eagerness { get; init; } = "auto";

    /// <summary>Extension (barge-in): <c>ignore</c> (default), <c>record</c> (commit as a user item, no response) or
    /// <c>interrupt</c> (every speech onset stops the agent, OpenAI's behaviour, no echo gate).</summary>
    public string BackchannelHandling { get; init; } = "ignore";

    /// <summary>Extension: words must come this soon after an interruption or the agent resumes; null: never.</summary>
    public int? FalseInterruptionTimeoutMs { get; init; } = 2000;

    /// <summary>Extension: <c>resume</c> (say the rest from the cut word), <c>acknowledge</c> ("As I was saying, " first) or <c>none</c>.</summary>
    public string FalseInterruptionRecovery { get; init; } = "resume";

    public bool IsSemantic => Type == "semantic_vad";

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", Type);
        if (IsSemantic)
        {
            w.WriteString("eagerness", Eagerness);
        }
        else
        {
            w.WriteNumber("threshold", Threshold);
            w.WriteNumber("prefix_padding_ms", PrefixPaddingMs);
            w.WriteNumber("silence_duration_ms", SilenceDurationMs);
            if (IdleTimeoutMs is int idle)
            {
                w.WriteNumber("idle_timeout_ms", idle);
            }
            else
            {
                w.WriteNull("idle_timeout_ms");
            }
        }

        w.WriteBoolean("create_response", CreateResponse);
        w.WriteBoolean("interrupt_response", InterruptResponse);
        w.WriteString("backchannel_handling", BackchannelHandling);
        if (FalseInterruptionTimeoutMs is int falseMs)
        {
            w.WriteNumber("false_interruption_timeout_ms", falseMs);
        }
        else
        {
            w.WriteNull("false_interruption_timeout_ms");
        }

        w.WriteString("false_interruption_recovery", FalseInterruptionRecovery);
        w.WriteEndObject();
    }
}

/// <summary>
/// A tool declared in the session or a response: <c>type: "function"</c> (the client runs it), or a server-run
/// tool when <see cref="Mcp"/> (<c>type: "mcp"</c>) or <see cref="WebSearch"/> (<c>type: "web_search"</c>) is set.
/// </summary>
public sealed record ToolDefinition(string Name, string? Description, JsonNode? Parameters)
{
    public Tools.McpToolConfig? Mcp { get; init; }

    public Tools.WebSearchToolConfig? WebSearch { get; init; }

    public bool IsFunction => Mcp is null && WebSearch is null;

    public void WriteTo(Utf8JsonWriter w)
    {
        if (Mcp is not null)
        {
            Mcp.WriteTo(w);
            return;
        }

        if (WebSearch is not null)
        {
            WebSearch.WriteTo(w);
            return;
        }

        w.WriteStartObject();
        w.WriteString("type", "function");
        w.WriteString("name", Name);
        if (Description is not null)
        {
            w.WriteString("description", Description);
        }

        w.WritePropertyName("parameters");
        SessionConfig.WriteNode(w, Parameters);
        w.WriteEndObject();
    }
}

using System.Text.Json;
using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>
/// A <c>type: "mcp"</c> tool (REALTIME-PROTOCOL.md §2, openai-python <c>realtime_tools_config_union.py Mcp</c>):
/// <c>server_label</c>, <c>server_url</c>, optional <c>authorization</c>, <c>headers</c>, <c>server_description</c>,
/// <c>allowed_tools</c> (a name array or <c>{tool_names?, read_only?}</c>) and <c>require_approval</c>
/// (<c>"always"</c>, <c>"never"</c> or <c>{always?:{tool_names}, never?:{tool_names}}</c>; default <c>"always"</c>
/// as OpenAI's). <c>connector_id</c> names OpenAI-hosted connectors and is refused: this server reaches MCP servers
/// by URL only. The authorization value is kept for the connection and never echoed back in session events.
/// </summary>
public sealed record McpToolConfig
{
    public required string ServerLabel { get; init; }

    public required Uri ServerUrl { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer …</c> (OpenAI's field holds the token alone).</summary>
    public string? Authorization { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? ServerDescription { get; init; }

    /// <summary>Null: every tool the server lists.</summary>
    public IReadOnlyList<string>? AllowedToolNames { get; init; }

    /// <summary>Only tools the server marks <c>readOnlyHint</c>.</summary>
    public bool ReadOnlyOnly { get; init; }

    /// <summary><c>always</c>, <c>never</c>, or <c>filter</c> (per tool, from the two name lists).</summary>
    public string ApprovalMode { get; init; } = "always";

    public IReadOnlyList<string> AlwaysApprove { get; init; } = [];

    public IReadOnlyList<string> NeverApprove { get; init; } = [];

    /// <summary>Whether a call of <paramref name="tool"/> waits for the client's <c>mcp_approval_response</c>.</summary>
    public bool RequiresApproval(string tool) => ApprovalMode switch
    {
        "never" => false,
        "filter" => !NeverApprove.Contains(tool) || AlwaysApprove.Contains(tool),
        _ => true,
    };

    /// <summary>Whether the model may see <paramref name="tool"/> (<c>allowed_tools</c>).</summary>
    public bool Allows(string tool, bool readOnlyHint) =>
        (AllowedToolNames is null || AllowedToolNames.Contains(tool)) && (!ReadOnlyOnly || readOnlyHint);

    /// <summary>The tool as <c>session.created/updated</c> show it (authorization left out).</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "mcp");
        w.WriteString("server_label", ServerLabel);
        w.WriteString("server_url", ServerUrl.ToString());
        if (ServerDescription is not null)
        {
            w.WriteString("server_description", ServerDescription);
        }

        if (Headers.Count > 0)
        {
            w.WriteStartObject("headers");
            foreach (var (name, _) in Headers)
            {
                w.WriteString(name, "***"); // header values are credentials as often as not
            }

            w.WriteEndObject();
        }

        if (AllowedToolNames is not null || ReadOnlyOnly)
        {
            w.WriteStartObject("allowed_tools");
            if (AllowedToolNames is not null)
            {
                WriteNames(w, "tool_names", AllowedToolNames);
            }

            w.WriteBoolean("read_only", ReadOnlyOnly);
            w.WriteEndObject();
        }

        w.WritePropertyName("require_approval");
        if (ApprovalMode == "filter")
        {
            w.WriteStartObject();
            if (AlwaysApprove.Count > 0)
            {
                w.WriteStartObject("always");
                WriteNames(w, "tool_names", AlwaysApprove);
                w.WriteEndObject();
            }

            if (NeverApprove.Count > 0)
            {
                w.WriteStartObject("never");
                WriteNames(w, "tool_names", NeverApprove);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteStringValue(ApprovalMode);
        }

        w.WriteEndObject();
    }

    private static void WriteNames(Utf8JsonWriter w, string property, IEnumerable<string> names)
    {
        w.WriteStartArray(property);
        foreach (var n in names)
        {
            w.WriteStringValue(n);
        }

        w.WriteEndArray();
    }

    /// <summary>Reads one <c>type: "mcp"</c> tool object; null with errors added when it is invalid.</summary>
    public static McpToolConfig? Read(JsonElement tool, string path, List<RealtimeError> errors)
    {
        string? label = String(tool, "server_label");
        if (string.IsNullOrWhiteSpace(label))
        {
            errors.Add(RealtimeError.Invalid("missing_required_parameter", "An mcp tool needs a server_label.", path + ".server_label"));
            return null;
        }

        if (tool.TryGetProperty("connector_id", out _) || tool.TryGetProperty("tunnel_id", out _))
        {
            errors.Add(RealtimeError.Invalid("invalid_value", "This server reaches MCP servers by server_url only (no connectors or tunnels).", path));
            return null;
        }

        if (String(tool, "server_url") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add(RealtimeError.Invalid("invalid_value", "server_url must be an absolute http(s) URL.", path + ".server_url"));
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (tool.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in h.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String)
                {
                    headers[p.Name] = p.Value.GetString()!;
                }
            }
        }

        IReadOnlyList<string>? allowed = null;
        bool readOnly = false;
        if (tool.TryGetProperty("allowed_tools", out var a) && a.ValueKind != JsonValueKind.Null)
        {
            if (a.ValueKind == JsonValueKind.Array)
            {
                allowed = Names(a);
            }
            else if (a.ValueKind == JsonValueKind.Object)
            {
                allowed = a.TryGetProperty("tool_names", out var names) && names.ValueKind == JsonValueKind.Array ? Names(names) : null;
                readOnly = a.TryGetProperty("read_only", out var ro) && ro.ValueKind == JsonValueKind.True;
            }
            else
            {
                errors.Add(RealtimeError.Invalid("invalid_type", "allowed_tools must be an array of names or {tool_names, read_only}.", path + ".allowed_tools"));
                return null;
            }
        }

        string mode = "always";
        IReadOnlyList<string> always = [], never = [];
        if (tool.TryGetProperty("require_approval", out var r) && r.ValueKind != JsonValueKind.Null)
        {
            if (r.ValueKind == JsonValueKind.String && r.GetString() is "always" or "never")
            {
                mode = r.GetString()!;
            }
            else if (r.ValueKind == JsonValueKind.Object)
            {
                mode = "filter";
                always = FilterNames(r, "always");
                never = FilterNames(r, "never");
            }
            else
            {
                errors.Add(RealtimeError.Invalid("invalid_value", "require_approval must be 'always', 'never' or {always, never}.", path + ".require_approval"));
                return null;
            }
        }

        return new McpToolConfig
        {
            ServerLabel = label,
            ServerUrl = uri,
            Authorization = String(tool, "authorization"),
            Headers = headers,
            ServerDescription = String(tool, "server_description"),
            AllowedToolNames = allowed,
            ReadOnlyOnly = readOnly,
            ApprovalMode = mode,
            AlwaysApprove = always,
            NeverApprove = never,
        };
    }

    private static List<string> FilterNames(JsonElement filter, string name) =>
        filter.TryGetProperty(name, out var f) && f.ValueKind == JsonValueKind.Object && f.TryGetProperty("tool_names", out var n) && n.ValueKind == JsonValueKind.Array
            ? Names(n)
            : [];

    private static List<string> Names(JsonElement array) =>
        [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

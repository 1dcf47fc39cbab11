using System.Text.Json;
using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>
/// The built-in web search tool, <c>{"type": "web_search", "max_results"?: 1-10}</c>: an extension of this server
/// (OpenAI's Realtime API has no built-in search; the name and type follow its Responses API). The server runs it
/// through the configured <see cref="IWebSearchProvider"/>; the model sees it as a function <c>web_search(query)</c>
/// and its calls appear as <c>mcp_call</c> items with <c>server_label: "web_search"</c>, so every GA client already
/// parses them.
/// </summary>
public sealed record WebSearchToolConfig(int? MaxResults)
{
    public const string Label = "web_search";

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "web_search");
        if (MaxResults is int max)
        {
            w.WriteNumber("max_results", max);
        }

        w.WriteEndObject();
    }

    public static WebSearchToolConfig? Read(JsonElement tool, string path, List<RealtimeError> errors)
    {
        if (!tool.TryGetProperty("max_results", out var m) || m.ValueKind == JsonValueKind.Null)
        {
            return new WebSearchToolConfig((int?)null);
        }

        if (m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out int max) && max is >= 1 and <= 10)
        {
            return new WebSearchToolConfig(max);
        }

        errors.Add(RealtimeError.Invalid("invalid_value", "max_results must be an integer from 1 to 10.", path + ".max_results"));
        return null;
    }
}

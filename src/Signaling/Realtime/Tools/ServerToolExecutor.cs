using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>Runs one server tool call (an MCP tool or the web search) and returns its output or error; never throws.</summary>
internal static class ServerToolExecutor
{
    /// <summary>One pooled client for every server tool (MCP servers and the search engine): no socket per call.</summary>
    internal static HttpClient Http { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan, // each call has its own deadline
    };

    public static Task<McpCallOutcome> RunAsync(ServerToolTarget target, string argumentsJson, RealtimeToolOptions options, CancellationToken ct)
    {
        if (target.Mcp is { } mcp)
        {
            return mcp.CallAsync(target.ToolName, argumentsJson, options.MaxToolOutputChars, options.McpCallTimeout, ct);
        }

        return SearchAsync(target.WebSearch!, argumentsJson, options, ct);
    }

    private static async Task<McpCallOutcome> SearchAsync(WebSearchToolConfig tool, string argumentsJson, RealtimeToolOptions options, CancellationToken ct)
    {
        if (CreateProvider(options.WebSearch) is not { } provider)
        {
            return McpCallOutcome.Fail("tool_execution_error", "No web search provider is configured on this server (MediaServer:Realtime:Tools:WebSearch:Url).");
        }

        string? query = null;
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String)
            {
                query = q.GetString();
            }
        }
        catch (JsonException)
        {
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            return McpCallOutcome.Fail("protocol_error", "web_search needs a 'query' string.", -32602);
        }

        var found = await provider.SearchAsync(query, tool.MaxResults ?? options.WebSearch.MaxResults, ct).ConfigureAwait(false);
        if (found.Error is not null)
        {
            return found.StatusCode is int status
                ? McpCallOutcome.Fail("http_error", found.Error, status)
                : McpCallOutcome.Fail("tool_execution_error", found.Error);
        }

        var results = new JsonArray();
        foreach (var hit in found.Hits)
        {
            results.Add(new JsonObject { ["title"] = hit.Title, ["url"] = hit.Url, ["snippet"] = hit.Snippet });
        }

        var output = new JsonObject { ["query"] = query, ["results"] = results };
        if (found.Answers.Count > 0)
        {
            output["answers"] = new JsonArray([.. found.Answers.Select(a => (JsonNode?)a)]);
        }

        string text = output.ToJsonString();
        return new McpCallOutcome(text.Length > options.MaxToolOutputChars ? text[..options.MaxToolOutputChars] : text, null);
    }

    /// <summary>The configured provider, or null when none is (no URL).</summary>
    public static IWebSearchProvider? CreateProvider(WebSearchOptions options)
    {
        if (string.IsNullOrEmpty(options.Url) || !Uri.TryCreate(options.Url.EndsWith('/') ? options.Url : options.Url + "/", UriKind.Absolute, out var baseUrl))
        {
            return null;
        }

        return options.Provider.ToLowerInvariant() switch
        {
            "searxng" => new SearxngWebSearchProvider(Http, baseUrl, options.Timeout),
            _ => null,
        };
    }
}

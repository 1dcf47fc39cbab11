namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>
/// Server-run tools, the tool-wait filler and the context budget (configuration section
/// <c>MediaServer:Realtime:Tools</c>). Every default is chosen for a voice call: short waits, nothing said unasked.
/// </summary>
public sealed class RealtimeToolOptions
{
    /// <summary>
    /// Phrase the agent says when a tool call has kept the caller waiting longer than <see cref="FillerDelay"/>.
    /// Empty (the default) turns the filler off: a phrase the client did not ask for is opt-in.
    /// </summary>
    public string FillerText { get; set; } = string.Empty;

    /// <summary>How long a tool call may run (or a client function call stay unanswered) before the filler, default 1.5 s.</summary>
    public TimeSpan FillerDelay { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Time allowed to connect to an MCP server and list its tools, default 10 s.</summary>
    public TimeSpan McpConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for one MCP tool call, default 30 s (then the call fails with an http_error 408).</summary>
    public TimeSpan McpCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest tool output handed back to the model, in characters (default 16,000); the rest is cut.</summary>
    public int MaxToolOutputChars { get; set; } = 16_000;

    /// <summary>Server-run tool rounds one response may take before it must answer in words (default 4).</summary>
    public int MaxToolRounds { get; set; } = 4;

    /// <summary>
    /// Tokens of conversation the model is given (default 32,000, what gpt-realtime's 32k window allows). With
    /// <c>truncation: "auto"</c> or a retention ratio, the oldest items are dropped when the prompt would exceed it.
    /// </summary>
    public int ContextTokens { get; set; } = 32_000;

    /// <summary>The web search provider behind <c>type: "web_search"</c> tools.</summary>
    public WebSearchOptions WebSearch { get; set; } = new();
}

/// <summary>Where <c>web_search</c> tool calls go.</summary>
public sealed class WebSearchOptions
{
    /// <summary>Provider kind: <c>searxng</c> (the default; its JSON API, <c>GET /search?q=…&amp;format=json</c>).</summary>
    public string Provider { get; set; } = "searxng";

    /// <summary>Base URL of the provider, e.g. <c>http://127.0.0.1:8888</c>. Null: web_search tools are refused.</summary>
    public string? Url { get; set; }

    /// <summary>Results given to the model when the tool does not say, default 5.</summary>
    public int MaxResults { get; set; } = 5;

    /// <summary>Time allowed for one search, default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

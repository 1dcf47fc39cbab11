using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>A tool one MCP server listed, as the <c>mcp_list_tools</c> item and the model see it.</summary>
internal sealed record McpListedTool(string Name, string? Description, JsonElement InputSchema, JsonElement? Annotations, bool ReadOnly);

/// <summary>What one MCP call gave: the text output, or an error object in the GA <c>mcp_call.error</c> shape.</summary>
internal sealed record McpCallOutcome(string? Output, JsonObject? Error)
{
    public static McpCallOutcome Fail(string type, string message, int? code = null)
    {
        var error = new JsonObject { ["type"] = type };
        if (code is int c)
        {
            error["code"] = c;
        }

        error["message"] = message;
        return new McpCallOutcome(null, error);
    }
}

/// <summary>
/// The client side of one <c>type: "mcp"</c> tool: an MCP session over streamable HTTP (MCP spec 2025-06-18,
/// "Transports") to <c>server_url</c> with the tool's headers and bearer authorization, its listed tools, and
/// tool calls. Failures become GA error objects (<c>protocol_error</c> with the JSON-RPC code, <c>http_error</c>
/// with the status, <c>tool_execution_error</c> when the tool itself reported <c>isError</c>); nothing throws.
/// </summary>
internal sealed class McpServerConnection : IAsyncDisposable
{
    private readonly McpClient _client;

    private McpServerConnection(McpToolConfig config, McpClient client, IReadOnlyList<McpListedTool> tools)
    {
        Config = config;
        _client = client;
        Tools = tools;
    }

    public McpToolConfig Config { get; }

    /// <summary>Every tool the server listed (before <c>allowed_tools</c>).</summary>
    public IReadOnlyList<McpListedTool> Tools { get; }

    /// <summary>The listed tools the model may call.</summary>
    public IEnumerable<McpListedTool> AllowedTools => Tools.Where(t => Config.Allows(t.Name, t.ReadOnly));

    /// <summary>Connects, initializes and lists the tools; throws <see cref="McpConnectException"/> with a reason on failure.</summary>
    public static async Task<McpServerConnection> ConnectAsync(McpToolConfig config, HttpClient http, ILoggerFactory loggers, TimeSpan timeout, CancellationToken ct)
    {
        var headers = new Dictionary<string, string>(config.Headers, StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(config.Authorization))
        {
            headers["Authorization"] = config.Authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? config.Authorization
                : "Bearer " + config.Authorization;
        }

        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = config.ServerUrl,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = headers,
                Name = config.ServerLabel,
                ConnectionTimeout = timeout,
            },
            http,
            loggers,
            ownsHttpClient: false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        McpClient? client = null;
        try
        {
            client = await McpClient.CreateAsync(
                transport,
                new McpClientOptions { ClientInfo = new Implementation { Name = "mediaserver-realtime", Version = "1.0" }, InitializationTimeout = timeout },
                loggers,
                cts.Token).ConfigureAwait(false);
            var listed = await client.ListToolsAsync(cancellationToken: cts.Token).ConfigureAwait(false);
            var tools = listed.Select(t => new McpListedTool(
                t.ProtocolTool.Name,
                t.ProtocolTool.Description,
                t.ProtocolTool.InputSchema.Clone(),
                t.ProtocolTool.Annotations is { } a ? JsonSerializer.SerializeToElement(a, McpJsonUtilities.DefaultOptions) : null,
                t.ProtocolTool.Annotations?.ReadOnlyHint == true)).ToList();
            return new McpServerConnection(config, client, tools);
        }
        catch (Exception ex) when (ex is not McpConnectException)
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            string reason = ex switch
            {
                OperationCanceledException when !ct.IsCancellationRequested => "timed out",
                HttpRequestException { StatusCode: HttpStatusCode status } => $"HTTP {(int)status}",
                HttpRequestException h => h.Message,
                _ => ex.GetType().Name + ": " + ex.Message,
            };
            throw new McpConnectException($"Could not list the tools of MCP server '{config.ServerLabel}': {reason}", ex);
        }
    }

    /// <summary>Calls <paramref name="name"/> with the JSON object <paramref name="argumentsJson"/>.</summary>
    public async Task<McpCallOutcome> CallAsync(string name, string argumentsJson, int maxOutputChars, TimeSpan timeout, CancellationToken ct)
    {
        Dictionary<string, object?> arguments;
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return McpCallOutcome.Fail("protocol_error", "The tool arguments are not a JSON object.", (int)McpErrorCode.InvalidParams);
            }

            arguments = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        }
        catch (JsonException)
        {
            return McpCallOutcome.Fail("protocol_error", "The tool arguments are not valid JSON.", (int)McpErrorCode.InvalidParams);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            var result = await _client.CallToolAsync(name, arguments, cancellationToken: cts.Token).ConfigureAwait(false);
            string text = Text(result);
            if (text.Length > maxOutputChars)
            {
                text = text[..maxOutputChars];
            }

            return result.IsError == true ? McpCallOutcome.Fail("tool_execution_error", text) : new McpCallOutcome(text, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return McpCallOutcome.Fail("http_error", "The MCP server did not answer in time.", 408);
        }
        catch (McpProtocolException ex)
        {
            return McpCallOutcome.Fail("protocol_error", ex.Message, (int)ex.ErrorCode);
        }
        catch (HttpRequestException ex)
        {
            return McpCallOutcome.Fail("http_error", ex.Message, ex.StatusCode is { } s ? (int)s : 502);
        }
        catch (McpException ex)
        {
            return McpCallOutcome.Fail("protocol_error", ex.Message, (int)McpErrorCode.InternalError);
        }
    }

    /// <summary>The call's content as one string: text blocks joined, structured content as JSON when there is no text.</summary>
    private static string Text(CallToolResult result)
    {
        var texts = result.Content.OfType<TextContentBlock>().Select(t => t.Text).ToList();
        if (texts.Count > 0)
        {
            return string.Join("\n", texts);
        }

        return result.StructuredContent is { } structured ? structured.GetRawText() : string.Empty;
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}

/// <summary>Listing an MCP server's tools failed; the message is safe to show the client.</summary>
internal sealed class McpConnectException(string message, Exception inner) : Exception(message, inner);

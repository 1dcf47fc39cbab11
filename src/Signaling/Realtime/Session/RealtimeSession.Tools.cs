using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Conversation;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Tools;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// The session's side of server-run tools: one MCP connection per declared <c>server_label</c>, listed when the
/// tool is declared (an <c>mcp_list_tools</c> item with <c>mcp_list_tools.in_progress</c> then <c>.completed</c> or
/// <c>.failed</c>), approvals the client has answered, and the wait for a client function's output.
/// </summary>
public sealed partial class RealtimeSession
{
    /// <summary>Longest a call leg is kept sending silence for an unanswered function call.</summary>
    private static readonly TimeSpan MaxFunctionWait = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, McpServerEntry> _mcpServers = new(StringComparer.Ordinal);
    private CancellationTokenSource? _functionWait;

    internal RealtimeToolOptions ToolOptions => _options.Tools;

    internal ICallMediaLeg? CallLeg => _leg;

    /// <summary>
    /// Starts listing every MCP server in <paramref name="tools"/> that is new or changed, and returns the listing of
    /// each (null result: it failed). Session tools stay connected; servers dropped from the session are closed.
    /// Called under <see cref="Gate"/>.
    /// </summary>
    internal Dictionary<string, Task<McpServerConnection?>> EnsureMcpServers(IEnumerable<ToolDefinition> tools, bool sessionLevel)
    {
        var wanted = tools.Where(t => t.Mcp is not null).Select(t => t.Mcp!).ToList();
        var listings = new Dictionary<string, Task<McpServerConnection?>>(StringComparer.Ordinal);
        foreach (var config in wanted)
        {
            if (!_mcpServers.TryGetValue(config.ServerLabel, out var entry) || entry.Config != config)
            {
                entry?.Close();
                entry = new McpServerEntry(config, ListMcpTools(config));
                _mcpServers[config.ServerLabel] = entry;
            }

            listings[config.ServerLabel] = entry.Listing;
        }

        if (sessionLevel)
        {
            foreach (var label in _mcpServers.Keys.Where(l => !listings.ContainsKey(l)).ToList())
            {
                _mcpServers[label].Close();
                _mcpServers.Remove(label);
            }
        }

        return listings;
    }

    private Task<McpServerConnection?> ListMcpTools(McpToolConfig config)
    {
        var item = new ConversationItem { Id = RealtimeIds.Item(), Type = McpItems.ListTools, ServerLabel = config.ServerLabel, Tools = [], Status = "in_progress" };
        AddItem(item);
        Emit(ServerEventJson.Build("mcp_list_tools.in_progress", w => w.WriteString("item_id", item.Id)));
        return Task.Run(async () =>
        {
            McpServerConnection? connection = null;
            string? failure = null;
            try
            {
                connection = await McpServerConnection.ConnectAsync(config, ServerToolExecutor.Http, NullLoggerFactory.Instance,
                    ToolOptions.McpConnectTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (McpConnectException ex)
            {
                failure = ex.Message;
                LogMcpListFailed(Logger, ex.InnerException!, config.ServerLabel);
            }

            lock (Gate)
            {
                if (connection is not null)
                {
                    foreach (var tool in connection.AllowedTools)
                    {
                        var listed = new System.Text.Json.Nodes.JsonObject
                        {
                            ["name"] = tool.Name,
                            ["input_schema"] = System.Text.Json.Nodes.JsonNode.Parse(tool.InputSchema.GetRawText()),
                        };
                        if (tool.Description is not null)
                        {
                            listed["description"] = tool.Description;
                        }

                        if (tool.Annotations is { } annotations)
                        {
                            listed["annotations"] = System.Text.Json.Nodes.JsonNode.Parse(annotations.GetRawText());
                        }

                        item.Tools!.Add(listed);
                    }
                }

                item.Status = connection is null ? "incomplete" : "completed";
                Emit(ServerEventJson.Build(connection is null ? "mcp_list_tools.failed" : "mcp_list_tools.completed", w => w.WriteString("item_id", item.Id)));
                if (failure is not null)
                {
                    Emit(ServerEventJson.Error(new RealtimeError(RealtimeError.ServerError, "mcp_list_tools_failed", failure)));
                }

                if (Conversation.Contains(item.Id))
                {
                    EmitItemDone(item);
                }
            }

            return connection;
        });
    }

    /// <summary>
    /// Approval requests the client has approved (an <c>mcp_approval_response</c> with <c>approve: true</c>) that no
    /// <c>mcp_call</c> has run yet, oldest first. Called under <see cref="Gate"/>.
    /// </summary>
    internal List<ConversationItem> ApprovedMcpRequests()
    {
        var items = Conversation.Items;
        var approved = items.Where(i => i.Type == McpItems.ApprovalResponse && i.Approve).Select(i => i.ApprovalRequestId).ToHashSet(StringComparer.Ordinal);
        var ran = items.Where(i => i.Type == McpItems.Call && i.ApprovalRequestId is not null).Select(i => i.ApprovalRequestId).ToHashSet(StringComparer.Ordinal);
        return [.. items.Where(i => i.Type == McpItems.ApprovalRequest && approved.Contains(i.Id) && !ran.Contains(i.Id))];
    }

    /// <summary>The listed connection for <paramref name="label"/>, if it is ready.</summary>
    internal McpServerConnection? McpConnection(string label) =>
        _mcpServers.TryGetValue(label, out var entry) && entry.Listing.IsCompletedSuccessfully ? entry.Listing.Result : null;

    /// <summary>
    /// A response ended with client function calls: until the client answers (its next item or response), a call
    /// leg keeps sending (WebRTC sends nothing when its queue is empty, so silence is queued) and, when configured,
    /// the filler is spoken once the wait passes <see cref="RealtimeToolOptions.FillerDelay"/>. Called under <see cref="Gate"/>.
    /// </summary>
    internal void OnFunctionCallsPending()
    {
        _functionWait?.Cancel();
        _functionWait = new CancellationTokenSource();
        _functionWait.CancelAfter(MaxFunctionWait); // a client that never answers does not keep the pump forever
        var stop = _functionWait.Token;
        if (_leg is { Transport: "webrtc" } and IMediaClockedLeg { Clock: var clock })
        {
            SilenceKeepAlive.Start(_leg, clock, waitForDrain: true, stop); // unsubscribes when the wait ends
        }

        if (!string.IsNullOrWhiteSpace(ToolOptions.FillerText) && Config.AudioOutput)
        {
            _ = SpeakFillerAfterDelayAsync(stop);
        }
    }

    /// <summary>The client answered (an item, a response, or the session ended): the wait is over.</summary>
    internal void EndFunctionWait()
    {
        _functionWait?.Cancel();
        _functionWait = null;
    }

    /// <summary>Stops tool-wait fillers still rendering (a real response is starting). Called under <see cref="Gate"/>.</summary>
    internal void CancelToolFillers()
    {
        foreach (var runner in _outOfBand.Where(r => r.IsScripted))
        {
            runner.Cancel("client_cancelled");
        }
    }

    private async Task SpeakFillerAfterDelayAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(ToolOptions.FillerDelay, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (Gate)
        {
            if (_closed || stop.IsCancellationRequested || _active is not null)
            {
                return;
            }

            // Out of band: the filler is heard but stays out of the conversation the model reads.
            EmitIfError(StartResponse(new ResponseRequest
            {
                WritesToConversation = false,
                ScriptedText = ToolOptions.FillerText,
                OutputModalities = ["audio"],
                Metadata = new System.Text.Json.Nodes.JsonObject { ["purpose"] = "tool_filler" },
            }));
        }
    }

    private void CloseTools()
    {
        EndFunctionWait();
        foreach (var entry in _mcpServers.Values)
        {
            entry.Close();
        }

        _mcpServers.Clear();
    }

    /// <summary>A server tool call failed: logged with its server, tool and error type (never its arguments or output).</summary>
    internal void ReportServerToolFailure(string serverLabel, string tool, string? errorType) =>
        LogServerToolFailed(Logger, serverLabel, tool, errorType ?? "unknown");

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Server tool {Tool} on {ServerLabel} failed with {ErrorType}")]
    private static partial void LogServerToolFailed(ILogger logger, string serverLabel, string tool, string errorType);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Listing the tools of MCP server {ServerLabel} failed")]
    private static partial void LogMcpListFailed(ILogger logger, Exception ex, string serverLabel);

    private sealed record McpServerEntry(McpToolConfig Config, Task<McpServerConnection?> Listing)
    {
        public void Close() => _ = Listing.ContinueWith(t => t.Result?.DisposeAsync().AsTask(), TaskScheduler.Default);
    }
}

using System.Buffers;
using System.Net.WebSockets;
using MediaServer.Signaling.Auth;
using MediaServer.Signaling.Calls;
using MediaServer.Signaling.Realtime.Protocol;
using MediaServer.Signaling.Realtime.Session;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signaling.Realtime.Transport;

/// <summary>
/// <c>GET /v1/realtime?model=…</c> (and Inworld's <c>/api/v1/realtime/session</c>) upgraded to a WebSocket: one
/// session per socket, text frames of one JSON event each. A receive loop feeds the session; a send loop drains its
/// queue. The socket closes on client close, session expiry or server shutdown, always after an explanatory event.
/// </summary>
public sealed partial class RealtimeWebSocketHandler(
    RealtimeAuthenticator authenticator,
    RealtimeSessionFactory factory,
    SessionRegistry registry,
    CallRegistry calls,
    IHostApplicationLifetime lifetime,
    ILogger<RealtimeWebSocketHandler> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "websocket_required",
                "This endpoint speaks the Realtime protocol over a WebSocket upgrade.").ConfigureAwait(false);
            return;
        }

        if (context.WebSockets.WebSocketRequestedProtocols.Contains("openai-beta.realtime-v1"))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "beta_api_shape_disabled",
                "This server speaks the GA Realtime protocol only.").ConfigureAwait(false);
            return;
        }

        bool attach = context.Request.Query.TryGetValue("call_id", out var callId);
        var auth = authenticator.Authenticate(context, attach ? EphemeralKeyUse.ControlOwnCall : EphemeralKeyUse.Open);
        if (!auth.Success)
        {
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_request_error", auth.Code!, auth.Message!).ConfigureAwait(false);
            return;
        }

        if (attach)
        {
            if (auth.Secret is { } secret && !string.Equals(secret.OpenedId, callId.ToString(), StringComparison.Ordinal))
            {
                await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "invalid_request_error", "permission_denied",
                    "An ephemeral key monitors only the call it opened.").ConfigureAwait(false);
                return;
            }

            await AttachToCallAsync(context, callId.ToString()).ConfigureAwait(false);
            return;
        }

        if (registry.Count + calls.Count >= factory.Options.MaxConcurrentSessions)
        {
            context.Response.Headers.RetryAfter = "5";
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "server_error", "server_at_capacity",
                "The server holds as many sessions as it is configured to; try again shortly.").ConfigureAwait(false);
            return;
        }

        int maxSessions = factory.Options.MaxSessionsPerKey;
        if (!registry.TryReserve(auth.Key!, maxSessions))
        {
            context.Response.Headers.RetryAfter = "5";
            await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "invalid_request_error", "session_limit_reached",
                $"This key already has {maxSessions} open sessions.").ConfigureAwait(false);
            return;
        }

        await RunSessionAsync(context, auth).ConfigureAwait(false);
    }

    private async Task OpenSessionAsync(HttpContext context, AuthResult auth)
    {
        string? model = context.Request.Query["model"];
        SessionConfig config;
        if (auth.Secret is not null)
        {
            config = auth.Secret.Session.Clone();
            config.Id = RealtimeIds.Session();
        }
        else
        {
            config = factory.DefaultConfig(model);
        }

        Inworld.InworldDialect.Apply(context, config, id => registry.Sessions.Any(s => s.Id == id));
        bool wantsRealtime = context.WebSockets.WebSocketRequestedProtocols.Contains("realtime");
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = wantsRealtime ? "realtime" : null,
            DangerousEnableCompression = false,
        }).ConfigureAwait(false);

        var sink = new ChannelEventSink();
        using var session = factory.Create(config, sink, auth.Key!);
        auth.Secret?.BindTo(session.Id);
        var closing = context.RequestAborted;
        string closeReason = "session closed";
        // Shutdown, draining and the end of the session's lifetime (SessionLifetimeMonitor) all end it through here.
        registry.Add(session, auth.Key!, error =>
        {
            closeReason = error.Message;
            session.Close(error);
            sink.Complete();
        });
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = session.Id });
        LogOpened(logger, session.Id, config.Model);
        using var stopRegistration = lifetime.ApplicationStopping.Register(() =>
        {
            session.Close(new RealtimeError(RealtimeError.ServerError, "server_shutting_down", "The server is shutting down."));
            sink.Complete();
        });
        try
        {
            session.Start();
            var sending = SendLoopAsync(socket, sink);
            await ReceiveLoopAsync(socket, session, factory.Options.MaxMessageBytes, closing).ConfigureAwait(false);
            session.Close();
            sink.Complete();
            await sending.ConfigureAwait(false);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, closeReason, closeTimeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            LogSocketEnded(logger, session.Id, ex.GetType().Name);
        }
        finally
        {
            registry.Remove(session);
            LogClosed(logger, session.Id);
        }
    }

    private async Task RunSessionAsync(HttpContext context, AuthResult auth)
    {
        try
        {
            await OpenSessionAsync(context, auth).ConfigureAwait(false);
        }
        finally
        {
            registry.Release(auth.Key!);
        }
    }

    /// <summary>
    /// <c>/v1/realtime?call_id=</c>: a sideband socket on a live call's session. It receives the call's events from
    /// now on (starting with a <c>session.created</c> describing the session) and may send client events.
    /// </summary>
    private async Task AttachToCallAsync(HttpContext context, string callId)
    {
        if (!calls.TryGet(callId, out var call) || call.Session is not { } session)
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "invalid_request_error", "call_not_found",
                $"No accepted live call with id '{callId}'.").ConfigureAwait(false);
            return;
        }

        bool wantsRealtime = context.WebSockets.WebSocketRequestedProtocols.Contains("realtime");
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = wantsRealtime ? "realtime" : null,
        }).ConfigureAwait(false);
        var sink = new ChannelEventSink();
        using var stopRegistration = lifetime.ApplicationStopping.Register(sink.Complete);
        _ = call.Control.Completion.ContinueWith(_ => sink.Complete(), TaskScheduler.Default);
        session.DescribeTo(sink);
        call.Events.Attach(sink);
        LogAttached(logger, callId, session.Id);
        try
        {
            var sending = SendLoopAsync(socket, sink);
            await ReceiveLoopAsync(socket, session, factory.Options.MaxMessageBytes, context.RequestAborted).ConfigureAwait(false);
            sink.Complete();
            await sending.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            LogSocketEnded(logger, session.Id, ex.GetType().Name);
        }
        finally
        {
            call.Events.Detach(sink);
        }
    }

    private static async Task ReceiveLoopAsync(WebSocket socket, RealtimeSession session, int maxBytes, CancellationToken ct)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int length = 0;
                bool tooLarge = false;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length && !tooLarge)
                    {
                        if (buffer.Length >= maxBytes)
                        {
                            tooLarge = true;
                        }
                        else
                        {
                            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes));
                            buffer.AsSpan(0, length).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }
                    }

                    var target = tooLarge ? buffer.AsMemory() : buffer.AsMemory(length);
                    result = await socket.ReceiveAsync(target, ct).ConfigureAwait(false);
                    if (!tooLarge)
                    {
                        length += result.Count;
                    }
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        return;
                    case WebSocketMessageType.Binary:
                        session.ReportError(RealtimeError.Invalid("invalid_message_type",
                            "Binary frames are not part of the Realtime protocol: send JSON text events (audio as base64)."));
                        break;
                    // The pool may lend a larger array than asked for: the byte count, not the array, holds the limit.
                    case WebSocketMessageType.Text when tooLarge || length > maxBytes:
                        session.ReportError(RealtimeError.Invalid("message_too_large",
                            $"The message exceeds the limit of {maxBytes} bytes and was dropped."));
                        break;
                    default:
                        session.HandleClientEvent(buffer.AsSpan(0, length));
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SendLoopAsync(WebSocket socket, ChannelEventSink sink)
    {
        try
        {
            await foreach (var message in sink.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (socket.State != WebSocketState.Open && socket.State != WebSocketState.CloseReceived)
                {
                    break;
                }

                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (WebSocketException)
        {
            // The client went away; the receive loop ends the session.
        }

        if (socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "session ended", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Nothing more to tell a client that is gone.
            }
        }
    }

    internal static Task WriteErrorAsync(HttpContext context, int status, string type, string code, string message) =>
        ApiError.WriteAsync(context, status, code, message, null, type);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Realtime session {SessionId} opened for model {Model}")]
    private static partial void LogOpened(ILogger logger, string sessionId, string model);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Realtime session {SessionId} closed")]
    private static partial void LogClosed(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Monitor socket attached to call {CallId} (session {SessionId})")]
    private static partial void LogAttached(ILogger logger, string callId, string sessionId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Realtime session {SessionId} socket ended: {Reason}")]
    private static partial void LogSocketEnded(ILogger logger, string sessionId, string reason);
}

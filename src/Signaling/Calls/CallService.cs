using MediaServer.Signaling.Realtime.Session;
using MediaServer.Signaling.Realtime.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.Calls;

/// <summary>
/// Turns transport calls into realtime calls: registers them, asks the application through the webhook (or accepts
/// at once with the default session when none is configured), and on accept starts a session on the call's media.
/// </summary>
public sealed partial class CallService(
    CallRegistry registry,
    RealtimeSessionFactory factory,
    IncomingCallWebhook webhook,
    IOptions<CallOptions> options,
    TimeProvider time,
    ILogger<CallService> logger)
{
    /// <summary>A new inbound call (SIP INVITE). Returns once the call is accepted, rejected or handed to the webhook.</summary>
    public async Task OnIncomingAsync(ICallControl control, string transport)
    {
        var call = new RealtimeCall(control, transport);
        registry.Add(call);
        LogIncoming(logger, call.CallId, transport);
        if (!webhook.Enabled)
        {
            await AcceptAsync(call, factory.DefaultConfig(null), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (!await webhook.NotifyAsync(call, CancellationToken.None).ConfigureAwait(false))
        {
            control.Reject(480);
            return;
        }

        // The application has AcceptTimeoutSeconds to accept; after that the caller is declined.
        _ = Task.Delay(TimeSpan.FromSeconds(options.Value.AcceptTimeoutSeconds), time).ContinueWith(_ =>
        {
            if (call.Session is null && !control.Completion.IsCompleted)
            {
                control.Reject(603);
            }
        }, TaskScheduler.Default);
    }

    /// <summary>A call whose media is already up (WebRTC): its session starts with <paramref name="config"/>.</summary>
    public Task<RealtimeCall> StartAnsweredAsync(ICallControl control, string transport, SessionConfig config, string? ownerKey)
    {
        var call = new RealtimeCall(control, transport) { OwnerKey = ownerKey };
        registry.Add(call);
        return AcceptAsync(call, config, CancellationToken.None).ContinueWith(_ => call, TaskScheduler.Default);
    }

    /// <summary>Starts the call's session and answers it. A second accept is ignored.</summary>
    public async Task AcceptAsync(RealtimeCall call, SessionConfig config, CancellationToken cancellationToken)
    {
        RealtimeSession session;
        lock (call)
        {
            if (call.Session is not null)
            {
                return;
            }

            var leg = call.Control.Media;
            session = factory.Create(config, call.Events, call.OwnerKey ?? "call:" + call.Transport, leg);
            call.Session = session;
            if (leg is ICallEventChannel channel)
            {
                call.Events.Attach(new EventChannelSink(channel, call.Control.Completion));
            }
        }

        session.Start();
        call.Control.Media.Start(new CallSessionBinder(session, call.Control.Media, time));
        await call.Control.AcceptAsync(cancellationToken).ConfigureAwait(false);
        _ = call.Control.Completion.ContinueWith(_ => session.Dispose(), TaskScheduler.Default);
        LogAccepted(logger, call.CallId, session.Id);
    }

    /// <summary>
    /// Forwards session events to a WebRTC data channel from its own loop: the session emits under its lock and the
    /// transport sends under its own, so handing over through a queue keeps the two locks from ever nesting.
    /// </summary>
    private sealed class EventChannelSink : IRealtimeEventSink
    {
        private readonly System.Threading.Channels.Channel<byte[]> _queue =
            System.Threading.Channels.Channel.CreateUnbounded<byte[]>(new() { SingleReader = true });

        public EventChannelSink(ICallEventChannel channel, Task ended)
        {
            _ = Task.Run(async () =>
            {
                await foreach (var message in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
                {
                    channel.TrySendEvent(System.Text.Encoding.UTF8.GetString(message));
                }
            });
            _ = ended.ContinueWith(_ => _queue.Writer.TryComplete(), TaskScheduler.Default);
        }

        public void Send(byte[] utf8Json) => _queue.Writer.TryWrite(utf8Json);
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Incoming {Transport} call {CallId}")]
    private static partial void LogIncoming(ILogger logger, string callId, string transport);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Call {CallId} accepted with session {SessionId}")]
    private static partial void LogAccepted(ILogger logger, string callId, string sessionId);
}

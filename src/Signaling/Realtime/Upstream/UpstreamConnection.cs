using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>
/// One WebSocket to the upstream Realtime service. Messages are queued (never blocking the session's lock) and sent
/// by one loop in order, starting once the handshake is done, so what the session queued before (the first
/// <c>session.update</c>) goes first. A receive loop hands each whole text message to the listener. A failed
/// handshake or a lost connection is reported once with a reason the client can act on.
/// </summary>
internal sealed partial class UpstreamConnection : IAsyncDisposable
{
    /// <summary>Largest upstream message accepted (OpenAI's own client limit is in this range).</summary>
    private const int MaxMessageBytes = 16 * 1024 * 1024;

    private readonly UpstreamTarget _target;
    private readonly IUpstreamListener _listener;
    private readonly ILogger _logger;
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private int _failed;

    public UpstreamConnection(UpstreamTarget target, IUpstreamListener listener, ILogger logger)
    {
        _target = target;
        _listener = listener;
        _logger = logger;
        _socket.Options.CollectHttpResponseDetails = true;
        _socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        if (!string.IsNullOrEmpty(target.Provider.ApiKey))
        {
            string scheme = string.Equals(target.Provider.Auth, "basic", StringComparison.OrdinalIgnoreCase) ? "Basic " : "Bearer ";
            _socket.Options.SetRequestHeader("Authorization", scheme + target.Provider.ApiKey);
        }
    }

    /// <summary>True once the handshake has completed and until the connection fails.</summary>
    public bool Open => _socket.State == WebSocketState.Open && Volatile.Read(ref _failed) == 0;

    /// <summary>True when the connection has failed (or never came up): nothing sent now reaches the upstream.</summary>
    public bool Failed => Volatile.Read(ref _failed) != 0;

    /// <summary>Connects in the background; queued messages go out once connected.</summary>
    public void Start(string sessionId) => _running = RunAsync(UpstreamUrl.Build(_target, sessionId));

    /// <summary>Queues a message the caller owns no more (a fresh array).</summary>
    public bool Send(byte[] utf8Json) => Send(utf8Json, utf8Json.Length, pooled: false);

    /// <summary>Queues <paramref name="length"/> bytes of <paramref name="buffer"/>; a pooled buffer goes back to the pool once sent.</summary>
    public bool Send(byte[] buffer, int length, bool pooled)
    {
        if (Failed || !_outbound.Writer.TryWrite(new Outbound(buffer, length, pooled)))
        {
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return false;
        }

        return true;
    }

    private async Task RunAsync(Uri url)
    {
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                timeout.CancelAfter(_target.Provider.ConnectTimeout);
                await _socket.ConnectAsync(url, timeout.Token).ConfigureAwait(false);
            }

            LogConnected(_logger, _target.Name, url.GetLeftPart(UriPartial.Path));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            int status = (int)_socket.HttpStatusCode;
            LogConnectFailed(_logger, _target.Name, status, ex.GetType().Name);
            Fail(status is 401 or 403
                ? new UpstreamFailure("upstream_unauthorized", $"The speech-to-speech upstream '{_target.Name}' refused our credentials (HTTP {status}).")
                : new UpstreamFailure("upstream_connect_failed", status > 0
                    ? $"The speech-to-speech upstream '{_target.Name}' refused the connection (HTTP {status})."
                    : $"The speech-to-speech upstream '{_target.Name}' could not be reached ({(ex is OperationCanceledException ? "timed out" : ex.Message)})."));
            return;
        }

        var sending = SendLoopAsync();
        await ReceiveLoopAsync().ConfigureAwait(false);
        _outbound.Writer.TryComplete();
        await sending.ConfigureAwait(false);
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await _socket.SendAsync(message.Buffer.AsMemory(0, message.Length), WebSocketMessageType.Text, true, _stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    message.Release();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The receive loop reports the lost connection; what is still queued is dropped below.
        }

        while (_outbound.Reader.TryRead(out var left))
        {
            left.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        int length = 0;
        string reason = "closed";
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxMessageBytes)
                    {
                        reason = "sent a message over 16 MiB";
                        break;
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    reason = $"closed the connection ({(int?)_socket.CloseStatus} {_socket.CloseStatusDescription})";
                    break;
                }

                length += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    _listener.OnUpstreamEvent(buffer.AsSpan(0, length));
                }

                length = 0;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            reason = $"dropped the connection ({ex.GetType().Name})";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (!_stop.IsCancellationRequested)
        {
            LogDisconnected(_logger, _target.Name, reason);
            Fail(new UpstreamFailure("upstream_disconnected", $"The speech-to-speech upstream '{_target.Name}' {reason}."));
        }
    }

    private void Fail(UpstreamFailure failure)
    {
        if (Interlocked.Exchange(ref _failed, 1) == 0)
        {
            _outbound.Writer.TryComplete();
            _listener.OnUpstreamFailed(failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        Interlocked.Exchange(ref _failed, 1);
        _outbound.Writer.TryComplete();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "session closed", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // already gone
            }
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // the loops end on cancellation
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private readonly record struct Outbound(byte[] Buffer, int Length, bool Pooled)
    {
        public void Release()
        {
            if (Pooled)
            {
                ArrayPool<byte>.Shared.Return(Buffer);
            }
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Upstream {Provider} connected at {Url}")]
    private static partial void LogConnected(ILogger logger, string provider, string url);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Upstream {Provider} connect failed (HTTP {Status}, {Error})")]
    private static partial void LogConnectFailed(ILogger logger, string provider, int status, string error);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Upstream {Provider} {Reason}")]
    private static partial void LogDisconnected(ILogger logger, string provider, string reason);
}

using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// A plain WebSocket Realtime client for protocol tests: sends JSON events, records every server event in order,
/// and waits for the next event of a type.
/// </summary>
public sealed class RealtimeTestClient : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly List<JsonObject> _events = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private Task? _receiving;
    private int _cursor;

    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    private RealtimeTestClient(WebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? SubProtocol => _socket.SubProtocol;

    public static Task<RealtimeTestClient> ConnectAsync(ServerProcess server, string query = "model=gpt-realtime", string? key = "test-key", params string[] subprotocols) =>
        ConnectPathAsync(server, "/v1/realtime?" + query, key is null ? null : "Bearer " + key, subprotocols);

    /// <summary>Connects to any path with a whole Authorization header value (Inworld: <c>Basic</c> on
    /// <c>/api/v1/realtime/session?key=..&amp;protocol=realtime</c>).</summary>
    public static async Task<RealtimeTestClient> ConnectPathAsync(ServerProcess server, string pathAndQuery, string? authorization, params string[] subprotocols)
    {
        var socket = new ClientWebSocket();
        if (authorization is not null)
        {
            socket.Options.SetRequestHeader("Authorization", authorization);
        }

        foreach (var p in subprotocols)
        {
            socket.Options.AddSubProtocol(p);
        }

        try
        {
            await socket.ConnectAsync(new Uri(server.WsBase, pathAndQuery), CancellationToken.None);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return Attach(socket);
    }

    /// <summary>Reads and writes an already connected socket (an in-memory test host's).</summary>
    public static RealtimeTestClient Attach(WebSocket socket)
    {
        var client = new RealtimeTestClient(socket);
        client._receiving = client.ReceiveLoopAsync();
        return client;
    }

    public Task SendAsync(object evt) => SendRawAsync(JsonSerializer.Serialize(evt));

    public Task SendRawAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] data) =>
        _socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>Appends PCM in chunks of <paramref name="chunkBytes"/>, as a streaming client does.</summary>
    public async Task AppendAudioAsync(byte[] audio, int chunkBytes = 9600)
    {
        for (int at = 0; at < audio.Length; at += chunkBytes)
        {
            int n = Math.Min(chunkBytes, audio.Length - at);
            await SendAsync(new { type = "input_audio_buffer.append", audio = Convert.ToBase64String(audio, at, n) });
        }
    }

    /// <summary>Waits for the next event of <paramref name="type"/> after the previous wait's position.</summary>
    public async Task<JsonObject> WaitForAsync(string type, int timeoutSeconds = 30, Func<JsonObject, bool>? where = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            lock (_events)
            {
                for (int i = _cursor; i < _events.Count; i++)
                {
                    if ((string?)_events[i]["type"] == type && (where is null || where(_events[i])))
                    {
                        _cursor = i + 1;
                        return _events[i];
                    }
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No '{type}' event within {timeoutSeconds} s. Events seen: {string.Join(", ", Events.Select(e => (string?)e["type"]))}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>Waits for an event of <paramref name="type"/> anywhere in the history, regardless of the cursor.</summary>
    public async Task<JsonObject> WaitForAnyAsync(string type, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            if (All(type).FirstOrDefault() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No '{type}' event within {timeoutSeconds} s.");
            }

            await _arrived.WaitAsync(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Events of <paramref name="type"/> seen so far.</summary>
    public List<JsonObject> All(string type) => [.. Events.Where(e => (string?)e["type"] == type)];

    /// <summary>Waits until the socket is closed by the server.</summary>
    public async Task WaitClosedAsync(int timeoutSeconds = 15)
    {
        if (_receiving is not null)
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Answer the server's close frame, as RFC 6455 §5.5.1 asks of every endpoint.
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
                    break;
                }

                var node = JsonNode.Parse(message.ToArray())!.AsObject();
                lock (_events)
                {
                    _events.Add(node);
                }

                _arrived.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // server went away; the test decides whether that was expected
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // already gone (an in-memory test host's socket reports it as disposed)
            }
        }

        _socket.Dispose();
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace MediaServer.Load;

/// <summary>
/// Realtime API sessions over WebSocket: each streams the speech clip as <c>input_audio_buffer.append</c> events of
/// 20 ms, in real time (frame k of a session is due at its start + k × 20 ms; a late loop sends what it owes), with
/// the server's default <c>server_vad</c> turn detection, and reads every event the server sends. One pacing loop
/// serves every session, as a real client fleet would not share one, but it keeps the driver's own cost low.
/// </summary>
public sealed class WebSocketLoad : ILoadGenerator
{
    private const int FrameMs = 20;
    private readonly Uri _url;
    private readonly byte[][] _frames;
    private readonly List<Session> _sessions = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _pacer;
    private long _driverLate;
    private int _answers;
    private int _errors;

    public WebSocketLoad(ServerUnderTest server, SpeechClip clip)
    {
        _url = new Uri($"ws://127.0.0.1:{server.Port}/v1/realtime?model=gpt-realtime");
        byte[] pcm = File.ReadAllBytes(clip.Pcm24k);
        int frameBytes = 24_000 * FrameMs / 1000 * 2;
        _frames = Enumerable.Range(0, pcm.Length / frameBytes)
            .Select(i => Encoding.UTF8.GetBytes($$"""{"type":"input_audio_buffer.append","audio":"{{Convert.ToBase64String(pcm, i * frameBytes, frameBytes)}}"}"""))
            .ToArray();
    }

    public int Live
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    public int Answers => Volatile.Read(ref _answers);

    public int Errors => Volatile.Read(ref _errors);

    public async Task StartAsync(int calls, TimeSpan duration)
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, calls).Select(_ => OpenAsync()));
        _ = opened;
    }

    /// <summary>Opens one more session (the soak adds and ends sessions one at a time).</summary>
    public async Task<object?> OpenAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer load-driver");
        socket.Options.AddSubProtocol("realtime");
        try
        {
            await socket.ConnectAsync(_url, _stop.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            Interlocked.Increment(ref _errors);
            socket.Dispose();
            return null;
        }

        // Sessions start at different places in the clip, as independent callers would.
        var session = new Session(socket, Random.Shared.Next(_frames.Length), Stopwatch.GetTimestamp());
        session.Receiver = Task.Run(() => ReceiveAsync(session));
        lock (_gate)
        {
            _sessions.Add(session);
            _pacer ??= Task.Run(PaceAsync);
        }

        return session;
    }

    /// <summary>Ends one session opened by <see cref="OpenAsync"/>.</summary>
    public async Task CloseAsync(object handle)
    {
        var session = (Session)handle;
        lock (_gate)
        {
            _sessions.Remove(session);
        }

        await session.Send.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await session.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            session.Send.Release();
        }

        await session.Receiver!.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        session.Socket.Dispose();
    }

    public async Task<ClientReport> StopAsync()
    {
        Session[] all;
        lock (_gate)
        {
            all = [.. _sessions];
        }

        await Task.WhenAll(all.Select(CloseAsync));
        await _stop.CancelAsync();
        if (_pacer is not null)
        {
            await _pacer.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return new ClientReport(Answers, Errors, Interlocked.Read(ref _driverLate));
    }

    private async Task PaceAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        var due = new List<Session>();
        while (await NextTickAsync(timer))
        {
            lock (_gate)
            {
                due.Clear();
                due.AddRange(_sessions);
            }

            foreach (var s in due)
            {
                long owed = (long)(Stopwatch.GetElapsedTime(s.StartedAt).TotalMilliseconds / FrameMs);
                while (s.Sent < owed && s.Socket.State == WebSocketState.Open)
                {
                    if (owed - s.Sent > 1)
                    {
                        Interlocked.Increment(ref _driverLate);
                    }

                    if (!await s.Send.WaitAsync(0))
                    {
                        break;
                    }

                    try
                    {
                        await s.Socket.SendAsync(_frames[(s.Offset + s.Sent) % _frames.Length], WebSocketMessageType.Text, true, CancellationToken.None);
                        s.Sent++;
                    }
                    catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
                    {
                        break;
                    }
                    finally
                    {
                        s.Send.Release();
                    }
                }
            }
        }
    }

    private async Task<bool> NextTickAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ReceiveAsync(Session s)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            while (s.Socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    result = await s.Socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                switch (EventType(buffer.AsSpan(0, length)))
                {
                    case "response.done":
                        Interlocked.Increment(ref _answers);
                        break;
                    case "error":
                        Interlocked.Increment(ref _errors);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? EventType(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isType = reader.ValueTextEquals("type"u8);
            if (!reader.Read())
            {
                return null;
            }

            if (isType && reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString();
            }

            reader.Skip();
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private sealed class Session(ClientWebSocket socket, int offset, long startedAt)
    {
        public ClientWebSocket Socket { get; } = socket;

        public int Offset { get; } = offset;

        public long StartedAt { get; } = startedAt;

        public long Sent;

        public SemaphoreSlim Send { get; } = new(1, 1);

        public Task? Receiver;
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaServer.Pipeline.Tests.Llm;

/// <summary>What a fake LLM server answers next (each fake speaks its own provider's wire format).</summary>
public enum FakeLlmScenario
{
    /// <summary>A streamed text answer made of <see cref="FakeLlmServer.Pieces"/>.</summary>
    Text,

    /// <summary>A streamed tool call (<c>get_weather</c> for London) whose arguments arrive in pieces.</summary>
    ToolCall,

    /// <summary>HTTP 429 with <c>Retry-After: 7</c>.</summary>
    RateLimited,

    /// <summary>HTTP 500.</summary>
    ServerError,

    /// <summary>HTTP 401: the key is wrong.</summary>
    Unauthorized,

    /// <summary>The provider's "overloaded" status: 529 for Anthropic, 503 for OpenAI-compatible servers.</summary>
    Overloaded,

    /// <summary>Two pieces of text, then the TCP connection is reset in the middle of the SSE body.</summary>
    DropMidStream,

    /// <summary>Two pieces of text, then the body ends cleanly without the format's finish marker.</summary>
    CutShort,

    /// <summary>Two pieces of text, then an error in the stream: Anthropic's <c>error</c> event
    /// (<c>overloaded_error</c>), or OpenRouter's and vLLM's chunk with an <c>error</c> object and
    /// <c>finish_reason: "error"</c> for the OpenAI-compatible fake.</summary>
    ErrorEvent,

    /// <summary>One piece every 100 ms for up to 30 s, so a test can cancel and watch the connection close.</summary>
    Slow,
}

/// <summary>
/// A local HTTP/1.1 server on a free loopback port for provider wire-format tests, written on a raw socket so a
/// scenario controls every byte (a reset in the middle of a chunked SSE body is what a dropped provider
/// connection looks like; HttpListener would finish the body politely). Records every request, runs the
/// scenario the test set, and notices when the client goes away mid-answer: a cancelled LLM call must close its
/// HTTP request, not leave it streaming into nowhere.
/// </summary>
internal abstract class FakeLlmServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _loop;
    private readonly ConcurrentQueue<FakeLlmRequest> _requests = new();
    private readonly SemaphoreSlim _arrived = new(0);

    protected FakeLlmServer()
    {
        // Port 0: the kernel picks a free port at bind time, so parallel tests cannot collide.
        _listener.Start();
        Origin = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _loop = Task.Run(LoopAsync);
    }

    /// <summary><c>http://127.0.0.1:port</c>, no path.</summary>
    public string Origin { get; }

    /// <summary>What the next requests get.</summary>
    public FakeLlmScenario Scenario { get; set; }

    /// <summary>The text pieces a <see cref="FakeLlmScenario.Text"/> answer streams.</summary>
    public IReadOnlyList<string> Pieces { get; set; } = ["Hello", " from", " the", " fake."];

    public IReadOnlyCollection<FakeLlmRequest> Requests => _requests;

    /// <summary>Waits for the <paramref name="count"/>-th request (1-based) to arrive.</summary>
    public async Task<FakeLlmRequest> WaitForRequestAsync(int count, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (_requests.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"Only {_requests.Count} of {count} requests arrived.");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }

        return _requests.ElementAt(count - 1);
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var owned = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        FakeLlmRequest? request;
        try
        {
            request = await ReadRequestAsync(stream);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return;
        }

        if (request is null) return;
        _requests.Enqueue(request);
        _arrived.Release();
        var response = new FakeHttpResponse(socket, stream);
        bool aborted = false;
        try
        {
            await HandleAsync(response, request);
            await response.FinishAsync();
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // A write failed: the client closed the connection, unless the scenario reset it itself.
            aborted = !response.WasReset;
        }
        finally
        {
            request.End(aborted);
        }
    }

    /// <summary>Reads a request line, headers and a Content-Length body; null when the client sent nothing usable.</summary>
    private static async Task<FakeLlmRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int headerEnd;
        while ((headerEnd = buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            int n = await stream.ReadAsync(chunk);
            if (n == 0) return null;
            buffer.Write(chunk, 0, n);
        }

        var all = buffer.ToArray();
        var lines = Encoding.ASCII.GetString(all, 0, headerEnd).Split("\r\n");
        var target = lines[0].Split(' ') is { Length: >= 2 } parts ? parts[1] : "/";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        int length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, CultureInfo.InvariantCulture) : 0;
        var body = new MemoryStream();
        body.Write(all, headerEnd + 4, all.Length - headerEnd - 4);
        while (body.Length < length)
        {
            int n = await stream.ReadAsync(chunk);
            if (n == 0) return null;
            body.Write(chunk, 0, n);
        }

        return new FakeLlmRequest(target.Split('?')[0], new FakeHeaders(headers), body.ToArray());
    }

    /// <summary>Answers one request; throws (from a write) when the client went away.</summary>
    protected abstract Task HandleAsync(FakeHttpResponse response, FakeLlmRequest request);

    /// <summary>
    /// Answers an error scenario the way OpenAI's API does (429 with <c>Retry-After: 7</c>, 500, 401, 503 overloaded)
    /// and returns true; false for every other scenario.
    /// </summary>
    protected static async Task<bool> TryWriteOpenAiErrorAsync(FakeHttpResponse response, FakeLlmScenario scenario)
    {
        switch (scenario)
        {
            case FakeLlmScenario.RateLimited:
                await response.WriteJsonAsync(429, """{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}""", ("Retry-After", "7"));
                return true;
            case FakeLlmScenario.ServerError:
                await response.WriteJsonAsync(500, """{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}""");
                return true;
            case FakeLlmScenario.Unauthorized:
                await response.WriteJsonAsync(401, """{"error":{"message":"Incorrect API key provided: sk-compat.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");
                return true;
            case FakeLlmScenario.Overloaded:
                await response.WriteJsonAsync(503, """{"error":{"message":"The engine is currently overloaded, please try again later.","type":"server_error","param":null,"code":null}}""");
                return true;
            default:
                return false;
        }
    }

    /// <summary>Streams <paramref name="frameFor"/>(i) every 100 ms until the client leaves (the write throws) or 30 s pass.</summary>
    protected static async Task StreamSlowlyAsync(FakeHttpResponse response, Func<int, string> frameFor)
    {
        for (int i = 0; i < 300; i++)
        {
            await response.WriteSseAsync(frameFor(i));
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop;
    }
}

/// <summary>One request a fake received, and how it ended.</summary>
internal sealed class FakeLlmRequest(string path, FakeHeaders headers, byte[] rawBody)
{
    private readonly TaskCompletionSource<bool> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private JsonNode? _body;

    public string Path { get; } = path;

    public FakeHeaders Headers { get; } = headers;

    /// <summary>The body's bytes as sent (a multipart form, for instance).</summary>
    public byte[] RawBody { get; } = rawBody;

    /// <summary>The body parsed as JSON (an empty body reads as <c>{}</c>).</summary>
    public JsonNode Body => _body ??= JsonNode.Parse(RawBody.Length == 0 ? "{}"u8 : RawBody)!;

    /// <summary>Completes with true when the client closed the connection before the answer was finished.</summary>
    public Task<bool> Ended => _ended.Task;

    internal void End(bool aborted) => _ended.TrySetResult(aborted);
}

/// <summary>Request headers (case-insensitive).</summary>
internal sealed class FakeHeaders(Dictionary<string, string> values)
{
    public string? this[string name] => values.TryGetValue(name, out var v) ? v : null;

    public override string ToString() => string.Join("; ", values.Select(kv => $"{kv.Key}: {kv.Value}"));
}

/// <summary>
/// The answer side of one HTTP/1.1 exchange, written straight to the socket: a JSON body with Content-Length,
/// or a chunked <c>text/event-stream</c> (RFC 9112 section 7.1), or a connection reset in the middle. Every
/// response says <c>Connection: close</c>.
/// </summary>
internal sealed class FakeHttpResponse(Socket socket, NetworkStream stream)
{
    private bool _chunked;

    public bool WasReset { get; private set; }

    public async Task WriteJsonAsync(int status, string json, params (string Name, string Value)[] headers)
    {
        var body = Encoding.UTF8.GetBytes(json);
        await WriteHeadAsync(status, [.. headers, ("Content-Type", "application/json"), ("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture))]);
        await stream.WriteAsync(body);
    }

    public Task StartEventStreamAsync(params (string Name, string Value)[] headers)
    {
        _chunked = true;
        return WriteHeadAsync(200, [.. headers, ("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"), ("Transfer-Encoding", "chunked")]);
    }

    /// <summary>One SSE frame as one HTTP chunk, flushed at once.</summary>
    public async Task WriteSseAsync(string frame)
    {
        var data = Encoding.UTF8.GetBytes(frame);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
        await stream.WriteAsync(data);
        await stream.WriteAsync("\r\n"u8.ToArray());
        await stream.FlushAsync();
    }

    /// <summary>Starts a chunked body of <paramref name="contentType"/> (audio, for instance).</summary>
    public Task StartChunkedAsync(string contentType)
    {
        _chunked = true;
        return WriteHeadAsync(200, [("Content-Type", contentType), ("Transfer-Encoding", "chunked")]);
    }

    /// <summary>Bytes as one HTTP chunk, flushed at once.</summary>
    public async Task WriteChunkAsync(ReadOnlyMemory<byte> data)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
        await stream.WriteAsync(data);
        await stream.WriteAsync("\r\n"u8.ToArray());
        await stream.FlushAsync();
    }

    /// <summary>Ends the body properly (the last, empty chunk).</summary>
    public async Task FinishAsync()
    {
        if (_chunked) await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        await stream.FlushAsync();
    }

    /// <summary>Resets the TCP connection mid-body (linger 0 sends RST) and returns the exception that ends the handler.</summary>
    public Exception Reset()
    {
        WasReset = true;
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
        return new IOException("the fake reset the connection on purpose");
    }

    private async Task WriteHeadAsync(int status, (string Name, string Value)[] headers)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers) head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        529 => "Overloaded",
        _ => "Status",
    };
}

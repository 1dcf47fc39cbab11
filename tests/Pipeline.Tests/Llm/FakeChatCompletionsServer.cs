using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaServer.Pipeline.Tests.Llm;

/// <summary>
/// A local server speaking OpenAI's chat-completions wire format (POST /v1/chat/completions, JSON or SSE with
/// <c>data: {...}</c> chunks ending in <c>data: [DONE]</c>). What it answers depends on <see cref="Scenario"/>.
/// </summary>
internal sealed class FakeChatCompletionsServer : IAsyncDisposable
{
    public enum Mode { Text, ToolCall, RateLimited }

    private HttpListener _listener = new();
    private readonly Task _loop;

    public FakeChatCompletionsServer()
    {
        // Take a free loopback port and listen on it; another test may grab the port between the probe and the
        // listen (tests run in parallel), so a taken port means trying the next free one.
        for (int attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                _listener.Start();
                BaseUrl = $"http://127.0.0.1:{port}/v1";
                break;
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                _listener.Close();
                _listener = new HttpListener();
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    public Mode Scenario { get; set; }

    /// <summary>Request bodies and Authorization headers received.</summary>
    public ConcurrentQueue<(string Path, string? Authorization, JsonNode Body)> Requests { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
        Requests.Enqueue((context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], body));

        if (context.Request.Url.AbsolutePath != "/v1/chat/completions")
        {
            response.StatusCode = 404;
            return;
        }

        if (Scenario == Mode.RateLimited)
        {
            response.StatusCode = 429;
            response.Headers["Retry-After"] = "7";
            await WriteAsync(response, """{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}""", "application/json");
            return;
        }

        var model = body["model"]!.GetValue<string>();
        var stream = body["stream"]?.GetValue<bool>() == true;
        if (!stream)
        {
            var message = Scenario == Mode.ToolCall
                ? """{"role":"assistant","content":null,"tool_calls":[{"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"London\"}"}}]}"""
                : """{"role":"assistant","content":"Hello from the fake."}""";
            var finish = Scenario == Mode.ToolCall ? "tool_calls" : "stop";
            await WriteAsync(response, $$$"""{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"{{{model}}}","choices":[{"index":0,"message":{{{message}}},"finish_reason":"{{{finish}}}"}],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15}}""", "application/json");
            return;
        }

        response.ContentType = "text/event-stream";
        response.SendChunked = true;
        var chunks = new List<string> { Chunk(model, """{"role":"assistant","content":""}""", null) };
        if (Scenario == Mode.ToolCall)
        {
            // The name and id come first, the arguments in pieces that only parse once joined.
            chunks.Add(Chunk(model, """{"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":""}}]}""", null));
            chunks.Add(Chunk(model, """{"tool_calls":[{"index":0,"function":{"arguments":"{\"loca"}}]}""", null));
            chunks.Add(Chunk(model, """{"tool_calls":[{"index":0,"function":{"arguments":"tion\": \"Lon"}}]}""", null));
            chunks.Add(Chunk(model, """{"tool_calls":[{"index":0,"function":{"arguments":"don\"}"}}]}""", null));
            chunks.Add(Chunk(model, "{}", "tool_calls"));
        }
        else
        {
            foreach (var piece in new[] { "Hello", " from", " the", " fake." }) chunks.Add(Chunk(model, JsonSerializer.Serialize(new { content = piece }), null));
            chunks.Add(Chunk(model, "{}", "stop"));
        }

        chunks.Add($$$"""{"id":"chatcmpl-2","object":"chat.completion.chunk","created":1700000000,"model":"{{{model}}}","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15}}""");
        foreach (var chunk in chunks)
        {
            var bytes = Encoding.UTF8.GetBytes($"data: {chunk}\n\n");
            await response.OutputStream.WriteAsync(bytes);
            await response.OutputStream.FlushAsync();
        }

        var done = Encoding.UTF8.GetBytes("data: [DONE]\n\n");
        await response.OutputStream.WriteAsync(done);
    }

    private static string Chunk(string model, string delta, string? finish) =>
        $$$"""{"id":"chatcmpl-2","object":"chat.completion.chunk","created":1700000000,"model":"{{{model}}}","choices":[{"index":0,"delta":{{{delta}}},"finish_reason":{{{(finish is null ? "null" : $"\"{finish}\"")}}}}]}""";

    private static async Task WriteAsync(HttpListenerResponse response, string json, string contentType)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}

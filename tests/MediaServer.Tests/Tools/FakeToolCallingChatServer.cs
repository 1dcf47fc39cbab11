using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaServer.Tests.Tools;

/// <summary>
/// A local server speaking OpenAI's chat-completions SSE wire format (POST /v1/chat/completions with
/// <c>stream: true</c>). Its "model" calls the <c>add</c> tool with a=2, b=3 (the arguments split over two chunks,
/// as OpenAI streams them) when the request offers that tool and holds no tool result yet; once a tool result is
/// there it answers "The sum is {result}." Every stream ends with a usage chunk (prompt 42, completion 7).
/// </summary>
public sealed class FakeToolCallingChatServer : LoopbackHttpServer
{
    public string BaseUrl => Origin + "/v1";

    public ConcurrentQueue<JsonNode> Requests { get; } = new();

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
        Requests.Enqueue(body);
        var messages = body["messages"]!.AsArray();
        var toolResult = messages.LastOrDefault(m => (string?)m!["role"] == "tool");
        bool offersAdd = body["tools"]?.AsArray().Any(t => (string?)t!["function"]!["name"] == "add") == true;
        var chunks = new List<object>();
        if (toolResult is null && offersAdd)
        {
            chunks.Add(Chunk(new { role = "assistant", tool_calls = new[] { new { index = 0, id = "call_fake1", type = "function", function = new { name = "add", arguments = "" } } } }, null));
            chunks.Add(Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = "{\"a\":2," } } } }, null));
            chunks.Add(Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = "\"b\":3}" } } } }, null));
            chunks.Add(Chunk(new { }, "tool_calls"));
        }
        else
        {
            string answer = toolResult is null ? "Hello from the fake model." : $"The sum is {ContentText(toolResult["content"])}.";
            chunks.Add(Chunk(new { role = "assistant", content = answer }, null));
            chunks.Add(Chunk(new { }, "stop"));
        }

        chunks.Add(new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1, model = "fake-model", choices = Array.Empty<object>(), usage = new { prompt_tokens = 42, completion_tokens = 7, total_tokens = 49 } });
        context.Response.ContentType = "text/event-stream";
        var sb = new StringBuilder();
        foreach (var chunk in chunks)
        {
            sb.Append("data: ").Append(JsonSerializer.Serialize(chunk)).Append("\n\n");
        }

        sb.Append("data: [DONE]\n\n");
        byte[] bytes = Encoding.UTF8.GetBytes(sb.ToString());
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static string ContentText(JsonNode? content) => content switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => (string?)p!["text"])),
        _ => string.Empty,
    };

    private static object Chunk(object delta, string? finish) => new
    {
        id = "chatcmpl-fake",
        @object = "chat.completion.chunk",
        created = 1,
        model = "fake-model",
        choices = new[] { new { index = 0, delta, finish_reason = finish } },
    };
}

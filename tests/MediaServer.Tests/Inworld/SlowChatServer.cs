using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaServer.Tests.Inworld;

/// <summary>
/// A chat-completions server (OpenAI wire format) with a slow main model: model <c>slow</c> streams its role chunk at
/// once and its first token only after <see cref="FirstTokenDelay"/>, then "Here is the answer." (other models stream
/// it at once). Non-streamed side questions are answered at once: "mm-hmm" when asked to back-channel, a JSON memory
/// when asked to keep memory, else "Just a second.".
/// </summary>
public sealed class SlowChatServer : Tools.LoopbackHttpServer
{
    public const string MainAnswer = "Here is the answer.";
    public const string SideAnswer = "Just a second.";
    public const string MemoryAnswer = """{"summary":"The user is Alice and asked for the answer.","facts":["Name: Alice"]}""";

    public string BaseUrl => Origin + "/v1";

    public TimeSpan FirstTokenDelay { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>Model, whether it streamed, and the messages as JSON, per request.</summary>
    public ConcurrentQueue<(string Model, bool Stream, string Messages)> Requests { get; } = new();

    /// <summary>Each request on its own task: the main model's slow stream and a side question overlap.</summary>
    protected override Task HandleAsync(HttpListenerContext context)
    {
        _ = Task.Run(() => AnswerAsync(context));
        return Task.CompletedTask;
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        using var reader = new StreamReader(context.Request.InputStream);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
        string model = (string?)body["model"] ?? "";
        bool stream = (bool?)body["stream"] == true;
        string prompt = body["messages"]!.ToJsonString();
        Requests.Enqueue((model, stream, prompt));
        if (!stream)
        {
            string answer = prompt.Contains("still talking", StringComparison.Ordinal) ? "mm-hmm"
                : prompt.Contains("long-term memory", StringComparison.Ordinal) ? MemoryAnswer
                : SideAnswer;
            var json = JsonSerializer.Serialize(new
            {
                id = "chatcmpl-side",
                @object = "chat.completion",
                created = 1_700_000_000,
                model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 5, completion_tokens = 2, total_tokens = 7 },
            });
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(json));
            return;
        }

        response.ContentType = "text/event-stream";
        response.SendChunked = true;
        try
        {
            await SendAsync(response, model, new { role = "assistant", content = "" }, null);
            if (model == "slow")
            {
                await Task.Delay(FirstTokenDelay);
            }

            foreach (var piece in new[] { "Here", " is", " the", " answer." })
            {
                await SendAsync(response, model, new { content = piece }, null);
            }

            await SendAsync(response, model, new { }, "stop");
            await response.OutputStream.WriteAsync("data: [DONE]\n\n"u8.ToArray());
        }
        catch (HttpListenerException)
        {
            // The response was cancelled: the client closed the request.
        }
    }

    private static async Task SendAsync(HttpListenerResponse response, string model, object delta, string? finish)
    {
        var chunk = JsonSerializer.Serialize(new
        {
            id = "chatcmpl-slow",
            @object = "chat.completion.chunk",
            created = 1_700_000_000,
            model,
            choices = new[] { new { index = 0, delta, finish_reason = finish } },
        });
        await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes($"data: {chunk}\n\n"));
        await response.OutputStream.FlushAsync();
    }
}

using System.Text.Json;

namespace MediaServer.Pipeline.Tests.Llm;

/// <summary>
/// A local server speaking OpenAI's chat-completions wire format (POST /v1/chat/completions, JSON or SSE with
/// <c>data: {...}</c> chunks ending in <c>data: [DONE]</c>); Groq, Mistral, xAI, OpenRouter, Ollama and vLLM
/// speak the same. What it answers depends on <see cref="FakeLlmServer.Scenario"/>.
/// </summary>
internal sealed class FakeChatCompletionsServer : FakeLlmServer
{
    /// <summary>The API base URL including <c>/v1</c>, as a provider's <c>BaseUrl</c> takes it.</summary>
    public string BaseUrl => Origin + "/v1";

    protected override async Task HandleAsync(FakeHttpResponse response, FakeLlmRequest request)
    {
        if (request.Path != "/v1/chat/completions")
        {
            await response.WriteJsonAsync(404, """{"error":{"message":"not found","type":"invalid_request_error","code":null}}""");
            return;
        }

        if (await TryWriteOpenAiErrorAsync(response, Scenario)) return;

        var model = request.Body["model"]!.GetValue<string>();
        if (request.Body["stream"]?.GetValue<bool>() != true)
        {
            var message = Scenario == FakeLlmScenario.ToolCall
                ? """{"role":"assistant","content":null,"tool_calls":[{"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"London\"}"}}]}"""
                : $$"""{"role":"assistant","content":{{JsonSerializer.Serialize(string.Concat(Pieces))}}}""";
            var finish = Scenario == FakeLlmScenario.ToolCall ? "tool_calls" : "stop";
            await response.WriteJsonAsync(200, $$$"""{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"{{{model}}}","choices":[{"index":0,"message":{{{message}}},"finish_reason":"{{{finish}}}"}],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15}}""");
            return;
        }

        await response.StartEventStreamAsync();
        await response.WriteSseAsync(Data(Chunk(model, """{"role":"assistant","content":""}""", null)));
        switch (Scenario)
        {
            case FakeLlmScenario.ToolCall:
                // The name and id come first, the arguments in pieces that only parse once joined.
                await response.WriteSseAsync(Data(Chunk(model, """{"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":""}}]}""", null)));
                await response.WriteSseAsync(Data(Chunk(model, """{"tool_calls":[{"index":0,"function":{"arguments":"{\"loca"}}]}""", null)));
                await response.WriteSseAsync(Data(Chunk(model, """{"tool_calls":[{"index":0,"function":{"arguments":"tion\": \"Lon"}}]}""", null)));
                await response.WriteSseAsync(Data(Chunk(model, """{"tool_calls":[{"index":0,"function":{"arguments":"don\"}"}}]}""", null)));
                await response.WriteSseAsync(Data(Chunk(model, "{}", "tool_calls")));
                break;
            case FakeLlmScenario.DropMidStream:
            case FakeLlmScenario.CutShort:
                await response.WriteSseAsync(Data(Text(model, Pieces[0])));
                await response.WriteSseAsync(Data(Text(model, Pieces[1])));
                await Task.Delay(200);
                if (Scenario == FakeLlmScenario.CutShort) return;
                throw response.Reset();
            case FakeLlmScenario.ErrorEvent:
                await response.WriteSseAsync(Data(Text(model, Pieces[0])));
                await response.WriteSseAsync(Data(Text(model, Pieces[1])));
                await response.WriteSseAsync(Data($$$"""{"id":"chatcmpl-2","object":"chat.completion.chunk","created":1700000000,"model":"{{{model}}}","error":{"code":502,"message":"Upstream provider returned an error"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}"""));
                break;
            case FakeLlmScenario.Slow:
                await StreamSlowlyAsync(response, i => Data(Text(model, i == 0 ? "Counting" : $" {i}.")));
                break;
            default:
                foreach (var piece in Pieces) await response.WriteSseAsync(Data(Text(model, piece)));
                await response.WriteSseAsync(Data(Chunk(model, "{}", "stop")));
                break;
        }

        await response.WriteSseAsync(Data($$$"""{"id":"chatcmpl-2","object":"chat.completion.chunk","created":1700000000,"model":"{{{model}}}","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15}}"""));
        await response.WriteSseAsync("data: [DONE]\n\n");
    }

    private static string Data(string json) => $"data: {json}\n\n";

    private static string Text(string model, string piece) => Chunk(model, JsonSerializer.Serialize(new { content = piece }), null);

    private static string Chunk(string model, string delta, string? finish) =>
        $$$"""{"id":"chatcmpl-2","object":"chat.completion.chunk","created":1700000000,"model":"{{{model}}}","choices":[{"index":0,"delta":{{{delta}}},"finish_reason":{{{(finish is null ? "null" : $"\"{finish}\"")}}}}]}""";
}

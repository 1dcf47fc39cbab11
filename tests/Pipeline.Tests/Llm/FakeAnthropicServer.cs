using System.Text.Json;

namespace MediaServer.Pipeline.Tests.Llm;

/// <summary>
/// A local server speaking Anthropic's Messages API (POST /v1/messages) with its streaming wire format: named SSE
/// events <c>message_start</c>, <c>content_block_start</c>/<c>_delta</c>/<c>_stop</c> (text_delta and the
/// tool_use block's input_json_delta pieces), <c>ping</c>, <c>message_delta</c> (stop_reason, output usage),
/// <c>message_stop</c>, and <c>error</c> mid-stream; HTTP errors carry <c>{"type":"error","error":{...}}</c>
/// bodies with <c>request-id</c> and, for 429, <c>retry-after</c> headers, as the real API sends them.
/// </summary>
internal sealed class FakeAnthropicServer : FakeLlmServer
{
    private int _ids;

    /// <summary>The base URL the SDK takes (it appends <c>/v1/messages</c>).</summary>
    public string BaseUrl => Origin;

    protected override async Task HandleAsync(FakeHttpResponse response, FakeLlmRequest request)
    {
        var id = Interlocked.Increment(ref _ids);
        var requestId = $"req_fake{id:D4}";
        if (request.Path != "/v1/messages")
        {
            await response.WriteJsonAsync(404, Error("not_found_error", "Not found", requestId), ("request-id", requestId));
            return;
        }

        switch (Scenario)
        {
            case FakeLlmScenario.RateLimited:
                await response.WriteJsonAsync(429, Error("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", requestId),
                    ("request-id", requestId), ("retry-after", "7"), ("x-should-retry", "true"));
                return;
            case FakeLlmScenario.ServerError:
                await response.WriteJsonAsync(500, Error("api_error", "Internal server error", requestId), ("request-id", requestId));
                return;
            case FakeLlmScenario.Unauthorized:
                await response.WriteJsonAsync(401, Error("authentication_error", "invalid x-api-key", requestId), ("request-id", requestId));
                return;
            case FakeLlmScenario.Overloaded:
                await response.WriteJsonAsync(529, Error("overloaded_error", "Overloaded", requestId), ("request-id", requestId), ("x-should-retry", "true"));
                return;
        }

        var model = request.Body["model"]?.GetValue<string>() ?? "claude";
        if (request.Body["stream"]?.GetValue<bool>() != true)
        {
            var content = Scenario == FakeLlmScenario.ToolCall
                ? """[{"type":"tool_use","id":"toolu_01abc","name":"get_weather","input":{"location":"London"}}]"""
                : $$"""[{"type":"text","text":{{JsonSerializer.Serialize(string.Concat(Pieces))}}}]""";
            var stop = Scenario == FakeLlmScenario.ToolCall ? "tool_use" : "end_turn";
            await response.WriteJsonAsync(200,
                $$$"""{"id":"msg_fake{{{id}}}","type":"message","role":"assistant","model":{{{JsonSerializer.Serialize(model)}}},"content":{{{content}}},"stop_reason":"{{{stop}}}","stop_sequence":null,"usage":{"input_tokens":21,"output_tokens":6}}""",
                ("request-id", requestId));
            return;
        }

        await response.StartEventStreamAsync(("request-id", requestId));
        await response.WriteSseAsync(Event("message_start",
            """{"type":"message_start","message":""" + $$$"""{"id":"msg_fake{{{id}}}","type":"message","role":"assistant","model":{{{JsonSerializer.Serialize(model)}}},"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"output_tokens":1}}""" + "}"));
        switch (Scenario)
        {
            case FakeLlmScenario.ToolCall:
                await response.WriteSseAsync(Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""));
                await response.WriteSseAsync(Event("content_block_delta", TextDelta("Let me check.")));
                await response.WriteSseAsync(Event("content_block_stop", """{"type":"content_block_stop","index":0}"""));
                await response.WriteSseAsync(Event("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01abc","name":"get_weather","input":{}}}"""));
                foreach (var part in new[] { "", "{\"loca", "tion\": \"Lon", "don\"}" })
                {
                    await response.WriteSseAsync(Event("content_block_delta",
                        $$$"""{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":{{{JsonSerializer.Serialize(part)}}}}}"""));
                }

                await response.WriteSseAsync(Event("content_block_stop", """{"type":"content_block_stop","index":1}"""));
                await response.WriteSseAsync(Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":12}}"""));
                break;
            case FakeLlmScenario.DropMidStream:
            case FakeLlmScenario.CutShort:
            case FakeLlmScenario.ErrorEvent:
                await response.WriteSseAsync(Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""));
                await response.WriteSseAsync(Event("content_block_delta", TextDelta(Pieces[0])));
                await response.WriteSseAsync(Event("content_block_delta", TextDelta(Pieces[1])));
                await Task.Delay(200);
                if (Scenario == FakeLlmScenario.DropMidStream) throw response.Reset();
                if (Scenario == FakeLlmScenario.CutShort) return;
                await response.WriteSseAsync(Event("error", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));
                return;
            case FakeLlmScenario.Slow:
                await response.WriteSseAsync(Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""));
                await StreamSlowlyAsync(response, i => Event("content_block_delta", TextDelta(i == 0 ? "Counting" : $" {i}.")));
                break;
            default:
                await response.WriteSseAsync(Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""));
                await response.WriteSseAsync(Event("ping", """{"type": "ping"}"""));
                foreach (var piece in Pieces) await response.WriteSseAsync(Event("content_block_delta", TextDelta(piece)));
                await response.WriteSseAsync(Event("content_block_stop", """{"type":"content_block_stop","index":0}"""));
                await response.WriteSseAsync(Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}"""));
                break;
        }

        await response.WriteSseAsync(Event("message_stop", """{"type":"message_stop"}"""));
    }

    private static string Event(string name, string json) => $"event: {name}\ndata: {json}\n\n";

    private static string TextDelta(string text) =>
        $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{JsonSerializer.Serialize(text)}}}}}""";

    private static string Error(string type, string message, string requestId) =>
        $$"""{"type":"error","error":{"type":"{{type}}","message":"{{message}}"},"request_id":"{{requestId}}"}""";
}

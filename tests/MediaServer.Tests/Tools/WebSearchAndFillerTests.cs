using System.Text.Json.Nodes;
using static MediaServer.Tests.Tools.ToolTestSupport;

namespace MediaServer.Tests.Tools;

/// <summary>The built-in web search (through a fake SearXNG) and the tool-wait filler, end to end through the WebSocket.</summary>
[Collection("Tools")]
public sealed class WebSearchAndFillerTests(ToolsFixture fixture)
{
    [Fact]
    public async Task Web_search_tool_queries_the_provider_and_the_answer_uses_its_results()
    {
        await using var client = await ConnectAsync(fixture.Server, [new { type = "web_search", max_results = 1 }]);
        var updated = client.All("session.updated").Last();
        Assert.Equal("web_search", (string?)updated["session"]!["tools"]![0]!["type"]);
        await SayAsync(client, "search the web for tide times");
        await client.SendAsync(new { type = "response.create" });
        var call = await client.WaitForAsync("response.output_item.done", 60, e => (string?)e["item"]!["type"] == "mcp_call");
        Assert.Equal("web_search", (string?)call["item"]!["server_label"]);
        Assert.Equal("tide times", (string?)JsonNode.Parse((string)call["item"]!["arguments"]!)!["query"]);
        var output = JsonNode.Parse((string)call["item"]!["output"]!)!;
        Assert.Single(output["results"]!.AsArray()); // max_results: 1
        Assert.Equal("https://example.org/tides", (string?)output["results"]![0]!["url"]);
        Assert.Contains("tide times", fixture.Search.Queries);
        var text = await client.WaitForAsync("response.output_text.done", 60);
        Assert.Contains("14:05", (string?)text["text"]);
    }

    [Fact]
    public async Task A_slow_server_tool_gets_the_filler_spoken_in_the_same_response_before_its_result()
    {
        // Orders starting with 9 take 1.5 s on the test MCP server; the filler comes after 0.5 s.
        await using var client = await ConnectAsync(fixture.Server, [McpTool(fixture.Mcp)], modalities: ["audio"]);
        await client.WaitForAsync("mcp_list_tools.completed", 30);
        await SayAsync(client, "look up order 9001");
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
        int filler = IndexOf(client, "response.output_audio_transcript.delta", e => ((string?)e["delta"])!.Contains("One moment.", StringComparison.Ordinal));
        int completed = IndexOf(client, "response.mcp_call.completed");
        Assert.True(filler >= 0, "the filler was not spoken");
        Assert.True(filler < completed, "the filler came after the tool result");
        // The filler was heard: audio went out between the filler and the tool's result.
        Assert.Contains(client.Events.Skip(filler).Take(completed - filler), e => (string?)e["type"] == "response.output_audio.delta");
        var transcript = (string?)client.All("response.output_audio_transcript.done").Last()["transcript"];
        Assert.StartsWith("One moment.", transcript);
        Assert.Contains("shipped", transcript);
    }

    [Fact]
    public async Task A_fast_server_tool_gets_no_filler()
    {
        await using var client = await ConnectAsync(fixture.Server, [McpTool(fixture.Mcp)], modalities: ["audio"]);
        await client.WaitForAsync("mcp_list_tools.completed", 30);
        await SayAsync(client, "look up order 1234");
        await client.SendAsync(new { type = "response.create" });
        await client.WaitForAsync("response.done", 60);
        Assert.DoesNotContain("One moment", (string?)client.All("response.output_audio_transcript.done").Last()["transcript"]);
    }

    [Fact]
    public async Task An_unanswered_client_function_call_gets_the_filler_as_an_out_of_band_response()
    {
        var function = new
        {
            type = "function",
            name = "get_weather",
            description = "Current weather for a city",
            parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } },
        };
        await using var client = await ConnectAsync(fixture.Server, [function], modalities: ["audio"]);
        await SayAsync(client, "what is the weather in Oslo");
        await client.SendAsync(new { type = "response.create" });
        var args = await client.WaitForAsync("response.function_call_arguments.done", 60);
        await client.WaitForAsync("response.done", 30);
        // The client takes its time: after 0.5 s the server says the filler, outside the conversation.
        var created = await client.WaitForAsync("response.created", 30);
        Assert.Null(created["response"]!["conversation_id"]);
        Assert.Equal("tool_filler", (string?)created["response"]!["metadata"]!["purpose"]);
        var filler = await client.WaitForAsync("response.output_audio_transcript.done", 30);
        Assert.Equal("One moment.", (string?)filler["transcript"]);
        await client.WaitForAsync("response.done", 30);

        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "function_call_output", call_id = (string)args["call_id"]!, output = """{"temperature_c":4}""" } });
        await client.SendAsync(new { type = "response.create" });
        var answer = await client.WaitForAsync("response.output_audio_transcript.done", 60);
        Assert.Contains("4", (string?)answer["transcript"]);
        // The filler never reached the conversation the model reads.
        Assert.DoesNotContain(client.All("conversation.item.added"), e => e["item"]!.ToJsonString().Contains("One moment", StringComparison.Ordinal));
    }
}

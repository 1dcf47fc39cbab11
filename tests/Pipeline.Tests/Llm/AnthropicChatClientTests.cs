using System.Text.Json;
using MediaServer.Pipeline.Llm;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Tests.Llm;

/// <summary>The <c>anthropic</c> kind against a local server speaking the Messages API's SSE wire format.</summary>
public sealed class AnthropicChatClientTests : IAsyncLifetime
{
    private readonly FakeAnthropicServer _server = new();
    private ChatClientProvider _provider = null!;

    public Task InitializeAsync()
    {
        _provider = new ChatClientProvider(new LlmOptions
        {
            Providers = { ["claude"] = new ProviderOptions { Kind = "anthropic", BaseUrl = _server.BaseUrl, ApiKey = "sk-ant-test" } },
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _provider.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Streams_text_deltas_and_sends_a_messages_request()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in _provider.Resolve("claude/claude-sonnet-4-5").GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "hi")]))
        {
            updates.Add(u);
        }

        Assert.Equal(["Hello", " from", " the", " fake."], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.Stop);
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().ToList();
        Assert.Contains(usage, c => c.Details.InputTokenCount == 21);
        Assert.Contains(usage, c => c.Details.OutputTokenCount == 6);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/messages", request.Path);
        // SDK 13.x sends the key as x-api-key or, with its credential chain, as a bearer token; either carries it.
        Assert.True(request.Headers["x-api-key"] == "sk-ant-test" || request.Headers["Authorization"] == "Bearer sk-ant-test", request.Headers.ToString());
        Assert.False(string.IsNullOrEmpty(request.Headers["anthropic-version"]));
        Assert.Equal("claude-sonnet-4-5", request.Body["model"]!.GetValue<string>());
        Assert.True(request.Body["stream"]!.GetValue<bool>());
        Assert.Equal(1024, request.Body["max_tokens"]!.GetValue<int>()); // required by the API: our default
        Assert.Contains("Be brief.", request.Body["system"]!.ToJsonString(), StringComparison.Ordinal);
        var message = Assert.Single(request.Body["messages"]!.AsArray())!;
        Assert.Equal("user", message["role"]!.GetValue<string>());
        Assert.Contains("hi", message["content"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_max_output_tokens_reaches_the_wire()
    {
        await _provider.Resolve("claude/claude-test").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { MaxOutputTokens = 77 });
        Assert.Equal(77, _server.Requests.Single().Body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_tool_use_block_streamed_as_input_json_deltas_arrives_whole()
    {
        _server.Scenario = FakeLlmScenario.ToolCall;
        var weather = AIFunctionFactory.CreateDeclaration("get_weather", "Weather for a place",
            JsonDocument.Parse("""{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""").RootElement);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in _provider.Resolve("claude/claude-test").GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.User, "weather in London")], new ChatOptions { Tools = [weather] }))
        {
            updates.Add(u);
        }

        Assert.Equal("Let me check.", string.Concat(updates.Select(u => u.Text)));
        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("toolu_01abc", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("London", call.Arguments!["location"]?.ToString());
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.ToolCalls);
        var tool = _server.Requests.Single().Body["tools"]!.AsArray().Single()!;
        Assert.Equal("get_weather", tool["name"]!.GetValue<string>());
        Assert.Equal("object", tool["input_schema"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Non_streaming_answer()
    {
        var response = await _provider.Resolve("claude/claude-test").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);
        Assert.Equal("Hello from the fake.", response.Text);
    }

    [Fact]
    public async Task The_anthropic_kind_can_be_the_default_behind_realtime_model_names()
    {
        using var provider = new ChatClientProvider(new LlmOptions
        {
            DefaultModel = "claude/claude-haiku",
            Providers = { ["claude"] = new ProviderOptions { Kind = "anthropic", BaseUrl = _server.BaseUrl, ApiKey = "k" } },
        });
        var response = await provider.Resolve("gpt-realtime").GetResponseAsync("hi");
        Assert.Equal("Hello from the fake.", response.Text);
        Assert.Equal("claude-haiku", _server.Requests.Single().Body["model"]!.GetValue<string>());
    }
}

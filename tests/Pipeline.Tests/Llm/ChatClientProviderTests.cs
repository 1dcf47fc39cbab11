using System.Text.Json;
using MediaServer.Pipeline.Llm;
using MediaServer.Pipeline.Llm.Offline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace MediaServer.Pipeline.Tests.Llm;

public sealed class ChatClientProviderTests : IAsyncLifetime
{
    private readonly FakeChatCompletionsServer _server = new();
    private ChatClientProvider _provider = null!;

    public Task InitializeAsync()
    {
        _provider = new ChatClientProvider(Options.Create(new LlmOptions
        {
            Providers = { ["local"] = new ProviderOptions { BaseUrl = _server.BaseUrl, ApiKey = "sk-test-123" } },
        }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _provider.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("offline")]
    [InlineData("gpt-realtime")]
    [InlineData("gpt-realtime-2025-08-28")]
    [InlineData("gpt-4o-realtime-preview")]
    [InlineData("gpt-4o-mini-realtime-preview-2024-12-17")]
    public void Default_aliases_resolve_to_the_offline_responder(string? model)
    {
        Assert.IsType<OfflineResponderChatClient>(_provider.Resolve(model));
    }

    [Theory]
    [InlineData("nobody/llama3")]
    [InlineData("gpt-4o")]
    [InlineData("local/")]
    [InlineData("/model")]
    public void Unknown_models_throw_UnknownModelException(string model)
    {
        var error = Assert.Throws<UnknownModelException>(() => _provider.Resolve(model));
        Assert.Equal(model, error.Model);
    }

    [Fact]
    public void Clients_are_cached_per_id()
    {
        Assert.Same(_provider.Resolve("local/llama3"), _provider.Resolve("local/llama3"));
        Assert.NotSame(_provider.Resolve("local/llama3"), _provider.Resolve("LOCAL/qwen"));
    }

    [Fact]
    public async Task Default_model_can_be_a_provider_model()
    {
        using var provider = new ChatClientProvider(new LlmOptions
        {
            DefaultModel = "local/llama3",
            Providers = { ["local"] = new ProviderOptions { BaseUrl = _server.BaseUrl } },
        });
        var response = await provider.Resolve("gpt-realtime").GetResponseAsync("hi");
        Assert.Equal("Hello from the fake.", response.Text);
        Assert.Equal("llama3", _server.Requests.Last().Body["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Provider_max_output_tokens_applies_when_the_session_sets_none()
    {
        using var provider = new ChatClientProvider(new LlmOptions
        {
            Providers = { ["capped"] = new ProviderOptions { BaseUrl = _server.BaseUrl, MaxOutputTokens = 99 } },
        });
        await provider.Resolve("capped/m").GetResponseAsync("hi");
        await provider.Resolve("capped/m").GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 5 });

        var bodies = _server.Requests.Select(r => r.Body.ToJsonString()).ToList();
        Assert.Contains("99", bodies[0], StringComparison.Ordinal);
        Assert.Contains(":5", bodies[1], StringComparison.Ordinal);
        Assert.DoesNotContain("99", bodies[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_streaming_answer_with_key_and_model_on_the_wire()
    {
        var response = await _provider.Resolve("local/llama3").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("Hello from the fake.", response.Text);
        Assert.Equal(15, response.Usage!.TotalTokenCount);
        var request = _server.Requests.Single();
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test-123", request.Headers["Authorization"]);
        Assert.Equal("llama3", request.Body["model"]!.GetValue<string>());
        Assert.Equal("hi", request.Body["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Streams_text_deltas_over_sse()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in _provider.Resolve("local/llama3").GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")])) updates.Add(u);

        Assert.Equal(["Hello", " from", " the", " fake."], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.Stop);
        Assert.Contains(updates.SelectMany(u => u.Contents).OfType<UsageContent>(), c => c.Details.TotalTokenCount == 15);
        Assert.True(_server.Requests.Single().Body["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_tool_call_streamed_in_pieces_arrives_whole_and_the_tools_went_out()
    {
        _server.Scenario = FakeLlmScenario.ToolCall;
        var weather = AIFunctionFactory.CreateDeclaration("get_weather", "Weather for a place",
            JsonDocument.Parse("""{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""").RootElement);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in _provider.Resolve("local/llama3").GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.User, "weather in London")], new ChatOptions { Tools = [weather] }))
            updates.Add(u);

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("call_abc", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("London", call.Arguments!["location"]?.ToString());
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.ToolCalls);
        var tools = _server.Requests.Single().Body["tools"]!.AsArray();
        Assert.Equal("get_weather", tools[0]!["function"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rate_limit_surfaces_as_a_retryable_provider_error_with_retry_after()
    {
        _server.Scenario = FakeLlmScenario.RateLimited;
        var client = _provider.Resolve("local/llama3");

        var streaming = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")])) { }
        });
        var plain = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        foreach (var error in new[] { streaming, plain })
        {
            Assert.Equal(429, error.StatusCode);
            Assert.True(error.IsRetryable);
            Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
            Assert.Equal("local", error.Provider);
        }

        Assert.Equal(2, _server.Requests.Count); // MaxRetries 0: the SDK did not retry behind our back
    }

    [Fact]
    public async Task An_unreachable_provider_is_a_retryable_error_without_status()
    {
        using var provider = new ChatClientProvider(new LlmOptions
        {
            Providers = { ["down"] = new ProviderOptions { BaseUrl = "http://127.0.0.1:1/v1" } },
        });
        var error = await Assert.ThrowsAsync<ChatProviderException>(() => provider.Resolve("down/x").GetResponseAsync("hi"));
        Assert.Null(error.StatusCode);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public void Caller_cancellation_is_not_reported_as_a_provider_error()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => _provider.Resolve("local/llama3").GetResponseAsync("hi", cancellationToken: cts.Token).GetAwaiter().GetResult());
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    public void Retryable_statuses(int status, bool retryable)
    {
        Assert.Equal(retryable, ChatProviderException.IsRetryableStatus(status));
    }

    [Fact]
    public void Bad_configuration_fails_at_construction()
    {
        Assert.Throws<OptionsValidationException>(() => new ChatClientProvider(new LlmOptions { Providers = { ["x"] = new ProviderOptions { Kind = "gemini" } } }));
        Assert.Throws<OptionsValidationException>(() => new ChatClientProvider(new LlmOptions { Providers = { ["x"] = new ProviderOptions { BaseUrl = "not a url" } } }));
        Assert.Throws<OptionsValidationException>(() => new ChatClientProvider(new LlmOptions { DefaultModel = "nowhere/model" }));
    }
}

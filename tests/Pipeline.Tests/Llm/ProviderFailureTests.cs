using MediaServer.Pipeline.Llm;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Tests.Llm;

/// <summary>
/// The failures a voice session must survive, for both wire formats: each one arrives as a
/// <see cref="ChatProviderException"/> whose kind, status, wait and message a caller can act on, and a cancelled
/// call closes its HTTP request (the fake sees the client leave).
/// </summary>
public sealed class ProviderFailureTests : IAsyncLifetime
{
    private readonly FakeChatCompletionsServer _openAi = new();
    private readonly FakeAnthropicServer _anthropic = new();
    private ChatClientProvider _provider = null!;

    public Task InitializeAsync()
    {
        _provider = new ChatClientProvider(new LlmOptions
        {
            Providers =
            {
                ["compat"] = new ProviderOptions { Kind = "openai", BaseUrl = _openAi.BaseUrl, ApiKey = "sk-compat" },
                ["claude"] = new ProviderOptions { Kind = "anthropic", BaseUrl = _anthropic.BaseUrl, ApiKey = "sk-ant-test" },
            },
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _provider.Dispose();
        await _openAi.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    private (IChatClient Client, FakeLlmServer Server) Use(string kind) =>
        kind == "anthropic" ? (_provider.Resolve("claude/claude-test"), _anthropic) : (_provider.Resolve("compat/gpt-test"), _openAi);

    private static string Provider(string kind) => kind == "anthropic" ? "claude" : "compat";

    private static async Task<(List<string> Texts, Exception? Error)> StreamAsync(IChatClient client, CancellationToken cancellationToken = default)
    {
        var texts = new List<string>();
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")], cancellationToken: cancellationToken))
            {
                if (update.Text.Length > 0) texts.Add(update.Text);
            }
        }
        catch (Exception e)
        {
            return (texts, e);
        }

        return (texts, null);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task Rate_limit_is_retryable_with_retry_after_and_a_message_naming_the_provider(string kind)
    {
        var (client, server) = Use(kind);
        server.Scenario = FakeLlmScenario.RateLimited;

        var (texts, error) = await StreamAsync(client);

        var failure = Assert.IsType<ChatProviderException>(error);
        Assert.Empty(texts);
        Assert.Equal(ChatProviderErrorKind.RateLimited, failure.Kind);
        Assert.Equal("rate_limit_exceeded", failure.Code);
        Assert.Equal(429, failure.StatusCode);
        Assert.True(failure.IsRetryable);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryAfter);
        Assert.Contains($"'{Provider(kind)}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("retry after 7 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains("rate limit", failure.Message, StringComparison.OrdinalIgnoreCase); // the provider's own words
        Assert.Single(server.Requests); // no silent SDK retry
    }

    [Theory]
    [InlineData("openai", FakeLlmScenario.ServerError, 500, ChatProviderErrorKind.ServerError)]
    [InlineData("openai", FakeLlmScenario.Overloaded, 503, ChatProviderErrorKind.Overloaded)]
    [InlineData("anthropic", FakeLlmScenario.ServerError, 500, ChatProviderErrorKind.ServerError)]
    [InlineData("anthropic", FakeLlmScenario.Overloaded, 529, ChatProviderErrorKind.Overloaded)]
    public async Task Server_errors_are_retryable_and_keep_their_status(string kind, FakeLlmScenario scenario, int status, ChatProviderErrorKind expected)
    {
        var (client, server) = Use(kind);
        server.Scenario = scenario;

        var (_, error) = await StreamAsync(client);

        var failure = Assert.IsType<ChatProviderException>(error);
        Assert.Equal(expected, failure.Kind);
        Assert.Equal(status, failure.StatusCode);
        Assert.True(failure.IsRetryable);
        Assert.Contains($"HTTP {status}", failure.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("openai", FakeLlmScenario.DropMidStream)]
    [InlineData("anthropic", FakeLlmScenario.DropMidStream)]
    [InlineData("openai", FakeLlmScenario.CutShort)]
    [InlineData("anthropic", FakeLlmScenario.CutShort)]
    public async Task A_stream_that_stops_halfway_is_an_interrupted_stream_after_the_text_that_came(string kind, FakeLlmScenario scenario)
    {
        var (client, server) = Use(kind);
        server.Scenario = scenario;

        var (texts, error) = await StreamAsync(client);

        Assert.Equal(["Hello", " from"], texts);
        var failure = Assert.IsType<ChatProviderException>(error);
        Assert.Equal(ChatProviderErrorKind.StreamInterrupted, failure.Kind);
        Assert.Equal("provider_stream_interrupted", failure.Code);
        Assert.True(failure.IsRetryable);
    }

    [Fact]
    public async Task An_error_chunk_mid_stream_from_an_openai_compatible_server_fails_with_its_message()
    {
        _openAi.Scenario = FakeLlmScenario.ErrorEvent;

        var (texts, error) = await StreamAsync(_provider.Resolve("compat/gpt-test"));

        Assert.Equal(["Hello", " from"], texts);
        var failure = Assert.IsType<ChatProviderException>(error);
        Assert.Equal(ChatProviderErrorKind.ServerError, failure.Kind);
        Assert.True(failure.IsRetryable);
        Assert.Contains("Upstream provider returned an error", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anthropic_error_event_mid_stream_is_classified_by_its_error_type()
    {
        _anthropic.Scenario = FakeLlmScenario.ErrorEvent;

        var (texts, error) = await StreamAsync(_provider.Resolve("claude/claude-test"));

        Assert.Equal(["Hello", " from"], texts);
        var failure = Assert.IsType<ChatProviderException>(error);
        Assert.Equal(ChatProviderErrorKind.Overloaded, failure.Kind);
        Assert.Null(failure.StatusCode); // the HTTP status was 200; the error came as an event
        Assert.Contains("Overloaded", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task Cancelling_mid_stream_closes_the_http_request(string kind)
    {
        var (client, server) = Use(kind);
        server.Scenario = FakeLlmScenario.Slow;
        using var cts = new CancellationTokenSource();
        var texts = new List<string>();

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "count")], cancellationToken: cts.Token))
            {
                texts.Add(update.Text);
                if (texts.Count(t => t.Length > 0) == 3) await cts.CancelAsync();
            }
        });

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        var request = Assert.Single(server.Requests);
        bool aborted = await request.Ended.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(aborted, "the fake kept streaming: the HTTP request outlived the cancellation");
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task A_rejected_key_is_final_not_retryable(string kind)
    {
        var (client, server) = Use(kind);
        server.Scenario = FakeLlmScenario.Unauthorized;

        var (_, error) = await StreamAsync(client);

        var failure = Assert.IsType<ChatProviderException>(error);
        Assert.Equal(ChatProviderErrorKind.Unauthorized, failure.Kind);
        Assert.Equal("provider_auth_failed", failure.Code);
        Assert.Equal(401, failure.StatusCode);
        Assert.False(failure.IsRetryable);
        Assert.Null(failure.RetryAfter);
        Assert.Contains("refused the configured API key (HTTP 401)", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task An_unreachable_provider_is_unavailable_and_retryable(string kind)
    {
        using var provider = new ChatClientProvider(new LlmOptions
        {
            Providers = { ["down"] = new ProviderOptions { Kind = kind, BaseUrl = kind == "anthropic" ? "http://127.0.0.1:1" : "http://127.0.0.1:1/v1" } },
        });

        var (_, error) = await StreamAsync(provider.Resolve("down/x"));

        var failure = Assert.IsType<ChatProviderException>(error);
        Assert.Equal(ChatProviderErrorKind.Unavailable, failure.Kind);
        Assert.Null(failure.StatusCode);
        Assert.True(failure.IsRetryable);
        Assert.Contains("'down' could not be reached", failure.Message, StringComparison.Ordinal);
    }
}

using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Llm.Anthropic;

/// <summary>
/// Builds an <see cref="IChatClient"/> for a <c>Kind: "anthropic"</c> provider over the official Anthropic SDK
/// and its Microsoft.Extensions.AI adapter (Messages API, streamed with SSE).
/// </summary>
internal static class AnthropicChatClientFactory
{
    /// <summary>
    /// Anthropic requires <c>max_tokens</c> on every request; a session with <c>max_output_tokens: "inf"</c>
    /// gets this unless the provider sets <see cref="ProviderOptions.MaxOutputTokens"/>. A spoken answer of
    /// 1024 tokens is several minutes of speech.
    /// </summary>
    public const int DefaultMaxOutputTokens = 1024;

    public static IChatClient Create(string providerName, ProviderOptions provider, string model, TimeProvider time)
    {
        // Our handler reads the retry-after header that the SDK's exceptions drop; the SDK's own retries are
        // off by default for the same reason as the OpenAI kind's (a silent back-off is dead air).
        var http = new HttpClient(new AnthropicStatusHandler(providerName, time) { InnerHandler = new SocketsHttpHandler() })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var options = new ClientOptions
        {
            HttpClient = http,
            MaxRetries = Math.Max(0, provider.MaxRetries),
            Timeout = provider.NetworkTimeout,
        };
        if (!string.IsNullOrWhiteSpace(provider.BaseUrl)) options.BaseUrl = provider.BaseUrl.TrimEnd('/');
        if (!string.IsNullOrEmpty(provider.ApiKey)) options.ApiKey = provider.ApiKey;
        var client = new AnthropicClient(options);
        var chat = client.AsIChatClient(model, provider.MaxOutputTokens ?? DefaultMaxOutputTokens);
        return new ErrorClassifyingChatClient(chat, providerName, client);
    }
}

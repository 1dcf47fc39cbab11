using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Llm.OpenAiCompatible;

/// <summary>
/// Builds an <see cref="IChatClient"/> for a <c>Kind: "openai"</c> provider: OpenAI's chat completions through
/// the OpenAI SDK and its Microsoft.Extensions.AI adapter, which every OpenAI-compatible server speaks.
/// </summary>
internal static class OpenAiChatClientFactory
{
    public static IChatClient Create(string providerName, ProviderOptions provider, string model)
    {
        // Our handler reads errors that arrive inside the SSE body; the SDK's network timeout bounds the request.
        var http = new HttpClient(new SseErrorDetectingHandler(providerName) { InnerHandler = new SocketsHttpHandler() })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var clientOptions = new OpenAI.OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(Math.Max(0, provider.MaxRetries)),
            NetworkTimeout = provider.NetworkTimeout,
            Transport = new HttpClientPipelineTransport(http),
        };
        if (!string.IsNullOrWhiteSpace(provider.BaseUrl)) clientOptions.Endpoint = new Uri(provider.BaseUrl);
        // Local servers such as Ollama take any key, but the SDK refuses an empty credential.
        var key = string.IsNullOrEmpty(provider.ApiKey) ? "unused" : provider.ApiKey;
        var chat = new OpenAI.OpenAIClient(new ApiKeyCredential(key), clientOptions).GetChatClient(model).AsIChatClient();
        if (provider.MaxOutputTokens is int max)
        {
            chat = chat.AsBuilder().ConfigureOptions(options => options.MaxOutputTokens ??= max).Build();
        }

        return new ErrorClassifyingChatClient(chat, providerName, http);
    }
}

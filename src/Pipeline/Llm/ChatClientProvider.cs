using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using MediaServer.Pipeline.Llm.Offline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace MediaServer.Pipeline.Llm;

/// <summary>
/// Resolves a session's <c>model</c>: the empty id, <c>offline</c> and OpenAI's realtime model names
/// (<c>gpt-realtime*</c>, <c>gpt-4o-realtime*</c>, <c>gpt-4o-mini-realtime*</c>) go to
/// <see cref="LlmOptions.DefaultModel"/>; <c>provider/model</c> goes to that configured provider's
/// OpenAI-compatible chat-completions endpoint. One client per id is built and cached. The configuration is
/// checked when the provider is built, so a bad provider fails at start, not on the first call.
/// </summary>
public sealed class ChatClientProvider : IChatClientProvider, IDisposable
{
    private static readonly string[] RealtimePrefixes = ["gpt-realtime", "gpt-4o-realtime", "gpt-4o-mini-realtime"];

    private readonly LlmOptions _options;
    private readonly IChatClient _offline;
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);

    public ChatClientProvider(IOptions<LlmOptions> options, TimeProvider? timeProvider = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), timeProvider)
    {
    }

    public ChatClientProvider(LlmOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _offline = new OfflineResponderChatClient(timeProvider);
        Validate();
    }

    public IChatClient Resolve(string? model)
    {
        var id = model?.Trim() ?? string.Empty;
        if (IsDefaultAlias(id)) id = _options.DefaultModel.Trim();
        if (IsDefaultAlias(id)) return _offline;

        var slash = id.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == id.Length - 1) throw new UnknownModelException(model ?? string.Empty);
        var providerName = id[..slash];
        if (!_options.Providers.TryGetValue(providerName, out var provider)) throw new UnknownModelException(model ?? string.Empty);
        return _clients.GetOrAdd(id, _ => Create(providerName, provider, id[(slash + 1)..]));
    }

    /// <summary>True for ids that mean "the configured default": empty, <c>offline</c>, OpenAI realtime names.</summary>
    public static bool IsDefaultAlias(string? model) =>
        string.IsNullOrWhiteSpace(model)
        || string.Equals(model, LlmOptions.OfflineModelId, StringComparison.OrdinalIgnoreCase)
        || RealtimePrefixes.Any(p => model.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private static IChatClient Create(string providerName, ProviderOptions provider, string model)
    {
        var clientOptions = new OpenAI.OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(Math.Max(0, provider.MaxRetries)),
            NetworkTimeout = provider.NetworkTimeout,
        };
        if (!string.IsNullOrWhiteSpace(provider.BaseUrl)) clientOptions.Endpoint = new Uri(provider.BaseUrl);
        // Local servers such as Ollama take any key, but the SDK refuses an empty credential.
        var key = string.IsNullOrEmpty(provider.ApiKey) ? "unused" : provider.ApiKey;
        var client = new OpenAI.OpenAIClient(new ApiKeyCredential(key), clientOptions).GetChatClient(model).AsIChatClient();
        return new ErrorClassifyingChatClient(client, providerName);
    }

    private void Validate()
    {
        foreach (var (name, provider) in _options.Providers)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal))
                throw new OptionsValidationException(nameof(LlmOptions.Providers), typeof(LlmOptions), [$"Provider name '{name}' must be non-empty and contain no '/'."]);
            if (!string.Equals(provider.Kind, "openai", StringComparison.OrdinalIgnoreCase))
                throw new OptionsValidationException(nameof(ProviderOptions.Kind), typeof(ProviderOptions), [$"Provider '{name}' has kind '{provider.Kind}'; supported: openai."]);
            if (!string.IsNullOrWhiteSpace(provider.BaseUrl) && (!Uri.TryCreate(provider.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
                throw new OptionsValidationException(nameof(ProviderOptions.BaseUrl), typeof(ProviderOptions), [$"Provider '{name}' has BaseUrl '{provider.BaseUrl}', which is not an absolute http(s) URL."]);
            if (provider.NetworkTimeout <= TimeSpan.Zero)
                throw new OptionsValidationException(nameof(ProviderOptions.NetworkTimeout), typeof(ProviderOptions), [$"Provider '{name}' needs a positive NetworkTimeout."]);
        }

        if (!IsDefaultAlias(_options.DefaultModel))
        {
            var slash = _options.DefaultModel.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || !_options.Providers.ContainsKey(_options.DefaultModel[..slash]))
                throw new OptionsValidationException(nameof(LlmOptions.DefaultModel), typeof(LlmOptions), [$"DefaultModel '{_options.DefaultModel}' is neither 'offline' nor 'provider/model' with a configured provider."]);
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _clients.Clear();
        _offline.Dispose();
    }
}

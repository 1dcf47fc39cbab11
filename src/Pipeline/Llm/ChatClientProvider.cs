using System.Collections.Concurrent;
using MediaServer.Pipeline.Llm.Anthropic;
using MediaServer.Pipeline.Llm.LlamaSharp;
using MediaServer.Pipeline.Llm.Offline;
using MediaServer.Pipeline.Llm.OpenAiCompatible;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaServer.Pipeline.Llm;

/// <summary>
/// Resolves a session's <c>model</c>: the empty id, <c>offline</c> and OpenAI's realtime model names
/// (<c>gpt-realtime*</c>, <c>gpt-4o-realtime*</c>, <c>gpt-4o-mini-realtime*</c>) go to
/// <see cref="LlmOptions.DefaultModel"/>; <c>provider/model</c> goes to that configured provider: an
/// OpenAI-compatible chat-completions endpoint (<c>openai</c>), Anthropic's Messages API (<c>anthropic</c>) or a
/// local GGUF file (<c>llamasharp</c>, whose model is loaded once per provider and shared by its ids). One client
/// per id is built and cached. The configuration is checked when the provider is built, so a bad provider fails
/// at start, not on the first call.
/// </summary>
public sealed class ChatClientProvider : IChatClientProvider, IDisposable
{
    private static readonly string[] RealtimePrefixes = ["gpt-realtime", "gpt-4o-realtime", "gpt-4o-mini-realtime"];

    private readonly LlmOptions _options;
    private readonly IChatClient _offline;
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<LlamaSharpModel>> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;

    public ChatClientProvider(IOptions<LlmOptions> options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), timeProvider, loggerFactory)
    {
    }

    public ChatClientProvider(LlmOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _offline = new OfflineResponderChatClient(timeProvider);
        Validate();
    }

    public IChatClient Resolve(string? model)
    {
        var id = Canonical(model);
        if (IsDefaultAlias(id)) return _offline;
        if (!TrySplit(id, out var providerName, out var modelName, out var provider)) throw new UnknownModelException(model ?? string.Empty);
        return _clients.GetOrAdd(id, _ => Create(providerName, provider, modelName));
    }

    /// <summary>Checks the id the way <see cref="Resolve"/> does, without building a client or loading weights.</summary>
    public bool Serves(string? model)
    {
        var id = Canonical(model);
        return IsDefaultAlias(id) || TrySplit(id, out _, out _, out _);
    }

    private string Canonical(string? model)
    {
        var id = model?.Trim() ?? string.Empty;
        return IsDefaultAlias(id) ? _options.DefaultModel.Trim() : id;
    }

    /// <summary>Splits <c>provider/model</c> at the first slash (the model part may hold more) and finds the provider.</summary>
    private bool TrySplit(string id, out string providerName, out string modelName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProviderOptions? provider)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        providerName = slash > 0 ? id[..slash] : string.Empty;
        modelName = slash > 0 ? id[(slash + 1)..] : string.Empty;
        provider = null;
        return slash > 0 && slash < id.Length - 1 && _options.Providers.TryGetValue(providerName, out provider);
    }

    /// <summary>True for ids that mean "the configured default": empty, <c>offline</c>, OpenAI realtime names.</summary>
    public static bool IsDefaultAlias(string? model) =>
        string.IsNullOrWhiteSpace(model)
        || string.Equals(model, LlmOptions.OfflineModelId, StringComparison.OrdinalIgnoreCase)
        || RealtimePrefixes.Any(p => model.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private IChatClient Create(string providerName, ProviderOptions provider, string model)
    {
        if (IsKind(provider, ProviderKinds.Anthropic)) return AnthropicChatClientFactory.Create(providerName, provider, model, _time);
        if (IsKind(provider, ProviderKinds.LlamaSharp))
        {
            var weights = _models.GetOrAdd(providerName, _ => new Lazy<LlamaSharpModel>(() => new LlamaSharpModel(
                provider.ModelPath!, provider.ContextSize, _loggers.CreateLogger("MediaServer.Pipeline.Llm.LlamaSharp"))));
            return new LlamaSharpChatClient(weights.Value, providerName, model, provider.MaxOutputTokens ?? LlamaSharpChatClient.DefaultMaxOutputTokens);
        }

        return OpenAiChatClientFactory.Create(providerName, provider, model);
    }

    private void Validate()
    {
        foreach (var (name, provider) in _options.Providers)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal))
                throw new OptionsValidationException(nameof(LlmOptions.Providers), typeof(LlmOptions), [$"Provider name '{name}' must be non-empty and contain no '/'."]);
            if (!ProviderKinds.All.Any(kind => IsKind(provider, kind)))
                throw new OptionsValidationException(nameof(ProviderOptions.Kind), typeof(ProviderOptions), [$"Provider '{name}' has kind '{provider.Kind}'; supported: {string.Join(", ", ProviderKinds.All)}."]);
            if (IsKind(provider, ProviderKinds.LlamaSharp) && (string.IsNullOrWhiteSpace(provider.ModelPath) || !File.Exists(provider.ModelPath)))
                throw new OptionsValidationException(nameof(ProviderOptions.ModelPath), typeof(ProviderOptions), [$"Provider '{name}' (llamasharp) needs ModelPath naming an existing .gguf file; '{provider.ModelPath}' is not one."]);
            if (provider.MaxOutputTokens is <= 0)
                throw new OptionsValidationException(nameof(ProviderOptions.MaxOutputTokens), typeof(ProviderOptions), [$"Provider '{name}' needs a positive MaxOutputTokens."]);
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

    private static bool IsKind(ProviderOptions provider, string kind) => string.Equals(provider.Kind, kind, StringComparison.OrdinalIgnoreCase);

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _clients.Clear();
        foreach (var model in _models.Values.Where(m => m.IsValueCreated)) model.Value.Dispose();
        _models.Clear();
        _offline.Dispose();
    }
}

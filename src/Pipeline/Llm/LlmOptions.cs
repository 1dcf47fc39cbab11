namespace MediaServer.Pipeline.Llm;

/// <summary>Which chat model answers by default, and the providers that <c>provider/model</c> ids reach.</summary>
public sealed class LlmOptions
{
    /// <summary>
    /// Model used for the empty id, <c>offline</c> and OpenAI's realtime model names (<c>gpt-realtime</c>, ...):
    /// <c>offline</c> (the built-in rule-based responder, default: works with no key and no network) or a
    /// <c>provider/model</c> id such as <c>ollama/llama3.2</c>.
    /// </summary>
    public string DefaultModel { get; set; } = OfflineModelId;

    /// <summary>Providers by name (the part before the slash of a model id), compared case-insensitively.</summary>
    public Dictionary<string, ProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public const string OfflineModelId = "offline";
}

/// <summary>One chat provider.</summary>
public sealed class ProviderOptions
{
    /// <summary>
    /// What serves the provider's models (<see cref="ProviderKinds"/>): <c>openai</c> (chat completions: OpenAI,
    /// Groq, Mistral, xAI, OpenRouter, Google's OpenAI-compatible endpoint, Ollama, vLLM, llama.cpp server, LM
    /// Studio, ...), <c>anthropic</c> (the Messages API through the official SDK) or <c>llamasharp</c> (a local
    /// GGUF file run in-process on the CPU).
    /// </summary>
    public string Kind { get; set; } = ProviderKinds.OpenAi;

    /// <summary>API base URL. For <c>openai</c> including the version path, e.g. <c>http://127.0.0.1:11434/v1</c>
    /// for a local Ollama, null meaning OpenAI's own endpoint; for <c>anthropic</c> without it, null meaning
    /// <c>https://api.anthropic.com</c>. Not used by <c>llamasharp</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary><c>llamasharp</c> only: the <c>.gguf</c> model file. Loaded once, on the provider's first request.</summary>
    public string? ModelPath { get; set; }

    /// <summary><c>llamasharp</c> only: context window in tokens (prompt plus answer), default the smaller of the
    /// model's training context and 4096, which bounds the per-request KV cache.</summary>
    public uint? ContextSize { get; set; }

    /// <summary>
    /// Answer length when the session sets none (<c>max_output_tokens: "inf"</c>). Null: the provider's default
    /// for <c>openai</c>, 1024 for <c>anthropic</c> (its API requires a value), 256 for <c>llamasharp</c>.
    /// </summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>API key sent as a bearer token; servers that need none (Ollama) may leave it empty.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Retries the client makes by itself on 408/429/5xx. Default 0: in a voice conversation a silent retry with
    /// back-off is dead air, so the failure goes straight to the caller, which sees
    /// <see cref="ChatProviderException.IsRetryable"/> and <see cref="ChatProviderException.RetryAfter"/>.
    /// </summary>
    public int MaxRetries { get; set; }

    /// <summary>Time allowed for one HTTP request, default 60 s.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

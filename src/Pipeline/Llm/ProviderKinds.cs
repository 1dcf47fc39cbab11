namespace MediaServer.Pipeline.Llm;

/// <summary>The values of <see cref="ProviderOptions.Kind"/>.</summary>
public static class ProviderKinds
{
    /// <summary>OpenAI's chat-completions wire format, spoken by most hosted and local servers.</summary>
    public const string OpenAi = "openai";

    /// <summary>Anthropic's Messages API.</summary>
    public const string Anthropic = "anthropic";

    /// <summary>A GGUF model run in-process by llama.cpp through LLamaSharp.</summary>
    public const string LlamaSharp = "llamasharp";

    public static readonly IReadOnlyList<string> All = [OpenAi, Anthropic, LlamaSharp];
}

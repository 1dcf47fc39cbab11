using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Llm;

/// <summary>
/// Resolves a session's <c>model</c> to a chat client: <c>provider/model</c> ids route to a configured provider,
/// OpenAI realtime model names (<c>gpt-realtime</c>, ...) and the empty id to the configured default.
/// </summary>
public interface IChatClientProvider
{
    /// <summary>Returns the client for <paramref name="model"/>, or throws <see cref="UnknownModelException"/>.</summary>
    IChatClient Resolve(string? model);

    /// <summary>
    /// Whether <paramref name="model"/> names a configured provider, checked when a session sets it so that a typo is
    /// reported then, not when the first response fails. Implementations that build clients lazily should override
    /// this so the check builds nothing.
    /// </summary>
    bool Serves(string? model)
    {
        try
        {
            Resolve(model);
            return true;
        }
        catch (UnknownModelException)
        {
            return false;
        }
    }
}

/// <summary>The model id names no configured provider.</summary>
public sealed class UnknownModelException(string model)
    : Exception($"No configured provider serves the model '{model}'.")
{
    public string Model { get; } = model;
}

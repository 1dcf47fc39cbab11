using MediaServer.Signaling.Realtime.Protocol;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// The model check: a model id that no configured provider serves is reported when the session sets it (at connect,
/// or by <c>session.update</c>, which is then refused and leaves the session as it was), not when the first
/// response fails. Sessions delegated to a speech-to-speech upstream leave the model to the upstream.
/// </summary>
public sealed partial class RealtimeSession
{
    /// <summary>The error for <paramref name="model"/> on a session that runs the embedded engines, or null.</summary>
    private RealtimeError? CheckModel(string? model)
    {
        if (_upstream is not null || Engines.ChatClients.Serves(model))
        {
            return null;
        }

        if (Engines.Upstreams is { } catalog && catalog.TryResolve(model, out _))
        {
            return RealtimeError.Invalid(
                "invalid_value",
                $"'{model}' is a speech-to-speech upstream, chosen when the session starts (the model query parameter); this session runs the embedded engines.",
                "session.model");
        }

        return RealtimeError.Invalid("model_not_found", new Pipeline.Llm.UnknownModelException(model ?? string.Empty).Message, "session.model");
    }
}

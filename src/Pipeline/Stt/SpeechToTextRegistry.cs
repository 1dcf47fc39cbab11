namespace MediaServer.Pipeline.Stt;

/// <summary>
/// Maps a session's <c>audio.input.transcription.model</c> to an engine: the empty id and OpenAI's transcription
/// model names (<c>whisper-1</c>, <c>gpt-4o-transcribe*</c>, <c>gpt-4o-mini-transcribe*</c>) go to the configured
/// default, so official SDKs work unchanged; an engine's own name (<c>pocketsphinx</c>) picks that engine.
/// </summary>
public sealed class SpeechToTextRegistry
{
    private static readonly string[] OpenAIPrefixes = ["whisper", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"];

    private readonly Dictionary<string, ISpeechToText> _byName = new(StringComparer.OrdinalIgnoreCase);

    public SpeechToTextRegistry(ISpeechToText defaultEngine, IEnumerable<ISpeechToText>? others = null)
    {
        ArgumentNullException.ThrowIfNull(defaultEngine);
        Default = defaultEngine;
        _byName[defaultEngine.Name] = defaultEngine;
        foreach (var engine in others ?? []) _byName.TryAdd(engine.Name, engine);
    }

    public ISpeechToText Default { get; }

    /// <summary>Engine names that <see cref="TryResolve"/> accepts besides the default aliases.</summary>
    public IReadOnlyCollection<string> Names => _byName.Keys;

    /// <summary>True for ids that mean "the configured default": empty or an OpenAI transcription model name.</summary>
    public static bool IsDefaultAlias(string? model) =>
        string.IsNullOrWhiteSpace(model) || OpenAIPrefixes.Any(p => model.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>An engine's own name wins over the aliases (an engine called <c>whisper.net</c> is itself).</summary>
    public bool TryResolve(string? model, out ISpeechToText engine)
    {
        if (!string.IsNullOrWhiteSpace(model) && _byName.TryGetValue(model.Trim(), out engine!)) return true;
        if (IsDefaultAlias(model))
        {
            engine = Default;
            return true;
        }

        engine = null!;
        return false;
    }
}

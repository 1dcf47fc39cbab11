using MediaServer.Pipeline.Tts.EspeakNg;
using MediaServer.Pipeline.Tts.Flite;
using MediaServer.Pipeline.Tts.OpenAi;

namespace MediaServer.Pipeline.Tts;

/// <summary>Which embedded speech engine speaks, and each engine's own options.</summary>
public sealed class TextToSpeechOptions
{
    /// <summary>
    /// <c>flite</c> (default), <c>espeak-ng</c>, or <c>openai</c> (a cloud speech API, <see cref="Cloud"/>). flite is the default because its voices sound more natural and
    /// because pocketsphinx recognises flite speech almost word for word while espeak-ng speech comes back as
    /// nonsense (MODELS.md): with flite an agent's own answers can be checked by the embedded STT end to end.
    /// </summary>
    public string Engine { get; set; } = TextToSpeechRegistry.FliteName;

    /// <summary>
    /// Send spans that ask for a whisper to espeak-ng (its <c>+whisper</c> variants) when the default engine
    /// cannot whisper. Default true: flite has no breathy voice, and a whisper tag spoken in full voice loses
    /// the meaning.
    /// </summary>
    public bool WhisperWithEspeakNg { get; set; } = true;

    public FliteOptions Flite { get; set; } = new();

    public EspeakNgOptions EspeakNg { get; set; } = new();

    /// <summary>The OpenAI-compatible speech endpoint used when <see cref="Engine"/> is <c>openai</c>.</summary>
    public OpenAiTextToSpeechOptions Cloud { get; set; } = new();
}

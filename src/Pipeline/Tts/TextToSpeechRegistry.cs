using System.Runtime.CompilerServices;
using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Tts.EspeakNg;
using MediaServer.Pipeline.Tts.Flite;
using MediaServer.Pipeline.Tts.OpenAi;

namespace MediaServer.Pipeline.Tts;

/// <summary>
/// The embedded speech engines behind one <see cref="ITextToSpeech"/>. The engine named by
/// <see cref="TextToSpeechOptions.Engine"/> speaks (flite by default: more natural, and recognisable by the
/// embedded pocketsphinx STT; espeak-ng by option); a span whose style asks for something that engine cannot do
/// (a whisper on flite) goes to espeak-ng instead, and its audio is resampled to this registry's
/// <see cref="SampleRate"/>, so a caller sees one engine with one fixed rate whichever engine rendered a span.
/// </summary>
public sealed class TextToSpeechRegistry : ITextToSpeech
{
    public const string FliteName = "flite";
    public const string EspeakNgName = "espeak-ng";
    public const string CloudName = OpenAiTextToSpeech.EngineName;

    private readonly TextToSpeechOptions _options;

    public TextToSpeechRegistry(TextToSpeechOptions? options = null)
    {
        _options = options ?? new TextToSpeechOptions();
        Flite = new FliteTextToSpeech(_options.Flite);
        EspeakNg = new EspeakNgTextToSpeech(_options.EspeakNg);
        Default = _options.Engine.Trim().ToLowerInvariant() switch
        {
            FliteName => Flite,
            EspeakNgName or "espeak" => EspeakNg,
            CloudName => Cloud = new OpenAiTextToSpeech(_options.Cloud),
            _ => throw new ArgumentException($"Unknown speech engine '{_options.Engine}' (expected {FliteName}, {EspeakNgName} or {CloudName}).", nameof(options)),
        };
    }

    public FliteTextToSpeech Flite { get; }

    public EspeakNgTextToSpeech EspeakNg { get; }

    /// <summary>The cloud speech API, when it is the chosen engine; null otherwise.</summary>
    public OpenAiTextToSpeech? Cloud { get; }

    /// <summary>The engine chosen by option.</summary>
    public ITextToSpeech Default { get; }

    public string Name => Default.Name;

    public int SampleRate => Default.SampleRate;

    /// <summary>The engine that renders <paramref name="request"/>.</summary>
    public ITextToSpeech Select(SpeechRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Style is { Whisper: true } && _options.WhisperWithEspeakNg && ReferenceEquals(Default, Flite)) return EspeakNg;
        return Default;
    }

    /// <summary>Engine by name (<c>flite</c>, <c>espeak-ng</c>, <c>openai</c> when configured), or null.</summary>
    public ITextToSpeech? Get(string name) => name.Trim().ToLowerInvariant() switch
    {
        FliteName => Flite,
        EspeakNgName or "espeak" => EspeakNg,
        CloudName => Cloud,
        _ => null,
    };

    public IAsyncEnumerable<ReadOnlyMemory<short>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken)
    {
        var engine = Select(request);
        var stream = engine.SynthesizeAsync(request, cancellationToken);
        return engine.SampleRate == SampleRate ? stream : ResampleAsync(stream, Resampler.Create(engine.SampleRate, SampleRate), cancellationToken);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<short>> ResampleAsync(
        IAsyncEnumerable<ReadOnlyMemory<short>> source, IResampler resampler, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var chunk in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var output = new short[resampler.MaxOutputSamples(chunk.Length)];
            var written = resampler.Process(chunk.Span, output);
            if (written > 0) yield return output.AsMemory(0, written);
        }
    }
}

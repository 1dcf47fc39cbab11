namespace MediaServer.Pipeline.Tts.Flite;

/// <summary>
/// Offline speech through Debian's flite 2.2 (CMU voices slt, rms, awb, kal), 16 kHz mono. Streams sentence by
/// sentence. Honours <see cref="SpeechRequest.Speed"/> (0.25 to 1.5) and the style's rate, pitch and volume;
/// it cannot whisper (the registry sends whispered spans to espeak-ng). OpenAI voice names map as in
/// <see cref="FliteVoices"/>.
/// </summary>
public sealed class FliteTextToSpeech(FliteOptions? options = null) : ITextToSpeech
{
    /// <summary>All bundled flite voices render at 16 kHz.</summary>
    public const int OutputSampleRate = 16_000;

    private readonly FliteOptions _options = options ?? new FliteOptions();

    public string Name => "flite";

    public int SampleRate => OutputSampleRate;

    /// <summary>The flite voice that <paramref name="voice"/> resolves to.</summary>
    public string ResolveVoice(string? voice) => FliteVoices.Resolve(voice, _options.DefaultVoice);

    /// <summary>Loads the default voice so the first answer does not pay for it.</summary>
    public Task WarmUpAsync() => FliteRuntime.LoadAsync(ResolveVoice(null));

    public IAsyncEnumerable<ReadOnlyMemory<short>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var voice = ResolveVoice(request.Voice);
        var style = request.Style ?? Neutral;
        var rate = SpeechRates.Clamp(request.Speed) * SpeechRates.ClampFactor(style.RateFactor);
        var stretch = 1 / rate;
        var pitch = SpeechRates.ClampFactor(style.PitchFactor);
        var gain = SpeechRates.ClampFactor(style.VolumeFactor);

        return SentenceStreamer.StreamAsync(SentenceSplitter.Split(request.Text), async (sentence, token) =>
        {
            var pcm = await FliteRuntime.SynthesizeAsync(voice, sentence, stretch, pitch, token).ConfigureAwait(false);
            SentenceStreamer.ApplyGain(pcm, gain);
            return pcm;
        }, cancellationToken);
    }

    private static readonly SpeechStyle Neutral = new();
}

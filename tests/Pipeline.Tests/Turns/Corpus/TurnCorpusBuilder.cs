namespace MediaServer.Pipeline.Tests.Turns.Corpus;

/// <summary>
/// Builds the labelled turn-taking corpus the tests run: every <see cref="TurnCorpusScript"/> spoken by every
/// <see cref="TurnCorpusVoice"/>, fragments separated by chosen pauses, with the truth of each pause written down
/// (<see cref="TurnCorpusUtterance.Boundaries"/>). Reusable by any test of turn-taking or barge-in: build once
/// (clips are cached), then convert with <see cref="TurnCorpusUtterance.At"/> to the input path under test.
/// </summary>
/// <example>
/// <code>
/// var corpus = new TurnCorpusBuilder().WithVoices(TurnCorpusVoice.Flite("slt")).Build();
/// foreach (var u in corpus) { var audio = u.At(TurnCorpusPath.Telephone8k); ... u.Boundaries ... }
/// </code>
/// </example>
public sealed class TurnCorpusBuilder
{
    private readonly List<TurnCorpusVoice> _voices = [];
    private readonly List<TurnCorpusScript> _scripts = [];

    /// <summary>Silence before the first word (ms): the VAD and the noise floor settle, as on a real call.</summary>
    public int LeadingSilenceMs { get; init; } = 600;

    /// <summary>Pauses used for holds, cycled over the utterances: 700 ms is above server_vad's 500 ms default,
    /// 1200 ms is a long hesitation that still fits under high eagerness' 2 s bound.</summary>
    public IReadOnlyList<int> HoldPausesMs { get; init; } = [700, 1200];

    /// <summary>Pause between two complete sentences of one turn.</summary>
    public int OptionalPauseMs { get; init; } = 900;

    /// <summary>Silence after the turn ends: longer than low eagerness' 8 s bound, so every detector must decide.</summary>
    public int TrailingSilenceMs { get; init; } = 8600;

    /// <summary>Peak of the white noise under everything (default 24, about -62 dBFS): a quiet line, never digital
    /// zero, so energy gates see a noise floor as on a real call. Seeded per utterance: the corpus is reproducible.</summary>
    public int NoisePeak { get; init; } = 24;

    /// <summary>The voices used when none are added: flite slt at three rates, flite rms and awb, espeak-ng at three rates.</summary>
    public static IReadOnlyList<TurnCorpusVoice> StandardVoices { get; } =
    [
        TurnCorpusVoice.Flite("slt", 1.0),
        TurnCorpusVoice.Flite("slt", 1.3),
        TurnCorpusVoice.Flite("slt", 0.8),
        TurnCorpusVoice.Flite("rms", 1.0),
        TurnCorpusVoice.Flite("awb", 1.0),
        TurnCorpusVoice.EspeakNg("en-us", 140),
        TurnCorpusVoice.EspeakNg("en-us", 175),
        TurnCorpusVoice.EspeakNg("en-us", 220),
    ];

    public TurnCorpusBuilder WithVoices(params TurnCorpusVoice[] voices)
    {
        _voices.AddRange(voices);
        return this;
    }

    public TurnCorpusBuilder WithScripts(params TurnCorpusScript[] scripts)
    {
        _scripts.AddRange(scripts);
        return this;
    }

    public IReadOnlyList<TurnCorpusUtterance> Build()
    {
        var voices = _voices.Count > 0 ? _voices : [.. StandardVoices];
        var scripts = _scripts.Count > 0 ? _scripts : [.. TurnCorpusScript.Standard];
        var corpus = new List<TurnCorpusUtterance>();
        int holdIndex = 0;
        foreach (var voice in voices)
        {
            foreach (var script in scripts)
            {
                corpus.Add(Build(script, voice, ref holdIndex));
            }
        }

        return corpus;
    }

    /// <summary>Builds one utterance (the hold pauses cycle through <see cref="HoldPausesMs"/>).</summary>
    public TurnCorpusUtterance Build(TurnCorpusScript script, TurnCorpusVoice voice, ref int holdIndex)
    {
        var pcm = new List<short>(new short[LeadingSilenceMs * 16]);
        var boundaries = new List<TurnBoundary>();
        foreach (var fragment in script.Fragments)
        {
            pcm.AddRange(voice.Synthesize(fragment.Text));
            long speechEndMs = pcm.Count / 16;
            int pause = fragment.Kind switch
            {
                TurnBoundaryKind.Hold => HoldPausesMs[holdIndex++ % HoldPausesMs.Count],
                TurnBoundaryKind.Optional => OptionalPauseMs,
                _ => TrailingSilenceMs,
            };
            pcm.AddRange(new short[pause * 16]);
            boundaries.Add(new TurnBoundary(speechEndMs, pause, fragment.Kind, fragment.Cue));
        }

        short[] audio = [.. pcm];
        var noise = new Random(HashCode.Combine(script.Name.Length, voice.Name.Length, audio.Length));
        for (int i = 0; i < audio.Length; i++)
        {
            audio[i] = (short)Math.Clamp(audio[i] + noise.Next(-NoisePeak, NoisePeak + 1), short.MinValue, short.MaxValue);
        }

        return new TurnCorpusUtterance(script.Name, voice, audio, boundaries);
    }
}

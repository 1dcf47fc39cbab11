namespace MediaServer.Pipeline.Tests.Turns.Corpus;

/// <summary>
/// One labelled utterance: 16 kHz mono audio with a leading silence, the script's fragments separated by pauses, and
/// a long trailing silence; <see cref="Boundaries"/> holds the truth of each pause. <see cref="At"/> gives the same
/// audio over another input path (8 kHz G.711 telephone, 48 kHz wideband) with the same timeline.
/// </summary>
public sealed record TurnCorpusUtterance(string Script, TurnCorpusVoice Voice, short[] Pcm16k, IReadOnlyList<TurnBoundary> Boundaries)
{
    public string Name => $"{Script}/{Voice.Name}";

    public long DurationMs => Pcm16k.Length / 16;

    /// <summary>The audio as it reaches the server over <paramref name="path"/> (see <see cref="TurnCorpusPath"/>).</summary>
    public TurnCorpusAudio At(TurnCorpusPath path) => TurnCorpusPaths.Convert(this, path);
}

/// <summary>Audio at an input rate, ready to be fed to the pipeline in 20 ms pieces.</summary>
public sealed record TurnCorpusAudio(TurnCorpusUtterance Utterance, TurnCorpusPath Path, int SampleRate, short[] Pcm);

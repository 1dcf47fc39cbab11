namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// Where the pocketsphinx model lives and how many decoders to keep. Defaults match what Debian's
/// <c>pocketsphinx-en-us</c> package installs (<c>dpkg -L pocketsphinx-en-us</c>).
/// </summary>
public sealed class PocketsphinxOptions
{
    /// <summary>Folder holding the acoustic model folder, the language model and the dictionary.</summary>
    public string ModelDirectory { get; set; } = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>Acoustic model folder (<c>-hmm</c>), relative to <see cref="ModelDirectory"/> or absolute.</summary>
    public string AcousticModel { get; set; } = "en-us";

    /// <summary>Trigram language model (<c>-lm</c>), relative to <see cref="ModelDirectory"/> or absolute.</summary>
    public string LanguageModel { get; set; } = "en-us.lm.bin";

    /// <summary>Pronunciation dictionary (<c>-dict</c>), relative to <see cref="ModelDirectory"/> or absolute.</summary>
    public string Dictionary { get; set; } = "cmudict-en-us.dict";

    /// <summary>
    /// Idle decoders kept for reuse. A decoder costs about 0.5 s of CPU and tens of MB to build (it loads the
    /// 30 MB language model), so one per concurrent utterance is reused; utterances beyond this many at once
    /// (up to <see cref="MaxDecoders"/>) still get a decoder, which is freed instead of pooled when it comes back.
    /// Default 4.
    /// </summary>
    public int PoolSize { get; set; } = 4;

    /// <summary>
    /// Most decoders in existence at once (each about 75 MB, and each decoding utterance takes a pool thread);
    /// an utterance that finds none free waits for one without holding a thread. 0 (default): two per CPU core,
    /// and at least <see cref="PoolSize"/>. More decoders than the cores can run in real time only build a backlog.
    /// </summary>
    public int MaxDecoders { get; set; }

    /// <summary>
    /// How long an utterance may wait for a decoder before it is refused (its transcription fails) so that an
    /// overloaded server sheds work instead of queueing it without bound. 0: never wait once
    /// <see cref="MaxDecoders"/> exist. Default 10 s.
    /// </summary>
    public double DecoderWaitSeconds { get; set; } = 10;

    internal int EffectiveMaxDecoders => MaxDecoders > 0 ? MaxDecoders : Math.Max(PoolSize, 2 * Environment.ProcessorCount);

    /// <summary>Decoders built by <see cref="PocketsphinxSpeechToText.WarmUp"/> at start. Default 1.</summary>
    public int WarmUpDecoders { get; set; } = 1;

    /// <summary>
    /// Partial hypotheses are read every this many 20 ms frames of audio (default 10, every 200 ms):
    /// <c>ps_get_hyp</c> runs a backtrace, too costly for every frame, and clients only need a few updates a second.
    /// </summary>
    public int PartialEveryFrames { get; set; } = 10;

    /// <summary>
    /// What runs at the end of an utterance, between the user's last word and the answer (default
    /// <see cref="PocketsphinxFinalPass.Lattice"/>: the best path through the first pass's word lattice, under 10 ms of
    /// CPU for a short turn). <see cref="PocketsphinxFinalPass.Full"/> re-searches the whole utterance, about
    /// ten times the CPU at the turn end for a few words fewer misheard on synthetic speech; <see cref="PocketsphinxFinalPass.None"/>
    /// is the quickest and mishears the most (README, latency section, has the figures). <see cref="ExtraArguments"/>
    /// can still override <c>-fwdflat</c> and <c>-bestpath</c>.
    /// </summary>
    public PocketsphinxFinalPass FinalPass { get; set; } = PocketsphinxFinalPass.Lattice;

    /// <summary>
    /// Extra decoder arguments by name, e.g. <c>{"-maxhmmpf": "3000"}</c> (halves CPU, see
    /// <see cref="PocketsphinxSpeechToText"/>) or <c>{"-beam": "1e-60"}</c>. A dictionary so configuration binds it.
    /// </summary>
    public Dictionary<string, string> ExtraArguments { get; set; } = new(StringComparer.Ordinal);

    internal string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(ModelDirectory, path);

    /// <summary>Throws when a value cannot work, so a bad configuration fails at start, not on the first call.</summary>
    public void Validate()
    {
        if (PoolSize < 0) throw new ArgumentOutOfRangeException(nameof(PoolSize), PoolSize, "must be 0 or more");
        if (MaxDecoders < 0) throw new ArgumentOutOfRangeException(nameof(MaxDecoders), MaxDecoders, "must be 0 (two per core) or more");
        if (!(DecoderWaitSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(DecoderWaitSeconds), DecoderWaitSeconds, "must be 0 or more");
        if (WarmUpDecoders < 0) throw new ArgumentOutOfRangeException(nameof(WarmUpDecoders), WarmUpDecoders, "must be 0 or more");
        if (!Enum.IsDefined(FinalPass)) throw new ArgumentOutOfRangeException(nameof(FinalPass), FinalPass, "must be None, Lattice or Full");
        if (PartialEveryFrames < 1) throw new ArgumentOutOfRangeException(nameof(PartialEveryFrames), PartialEveryFrames, "must be 1 or more");
    }
}

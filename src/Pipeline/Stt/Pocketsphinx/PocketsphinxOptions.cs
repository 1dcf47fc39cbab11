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
    /// still get a decoder, which is freed instead of pooled when it comes back. Default 4.
    /// </summary>
    public int PoolSize { get; set; } = 4;

    /// <summary>Decoders built by <see cref="PocketsphinxSpeechToText.WarmUp"/> at start. Default 1.</summary>
    public int WarmUpDecoders { get; set; } = 1;

    /// <summary>
    /// Partial hypotheses are read every this many 20 ms frames of audio (default 10, every 200 ms):
    /// <c>ps_get_hyp</c> runs a backtrace, too costly for every frame, and clients only need a few updates a second.
    /// </summary>
    public int PartialEveryFrames { get; set; } = 10;

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
        if (WarmUpDecoders < 0) throw new ArgumentOutOfRangeException(nameof(WarmUpDecoders), WarmUpDecoders, "must be 0 or more");
        if (PartialEveryFrames < 1) throw new ArgumentOutOfRangeException(nameof(PartialEveryFrames), PartialEveryFrames, "must be 1 or more");
    }
}

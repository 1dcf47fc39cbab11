namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// What pocketsphinx runs when an utterance ends, after the live first pass (the lexicon-tree search that also gives
/// the partial hypotheses) has caught up. The later passes re-search the whole utterance, so their cost grows with
/// its length and is paid between the end of the user's turn and the start of the answer.
/// </summary>
public enum PocketsphinxFinalPass
{
    /// <summary>
    /// No second pass (<c>-fwdflat no -bestpath no</c>): the transcript is the first pass's, so ending the utterance
    /// only decodes the last 100 ms of audio. Fastest turn end; more misheard words (README, latency section).
    /// </summary>
    None,

    /// <summary>
    /// Best path through the first pass's word lattice (<c>-fwdflat no -bestpath yes</c>): a few milliseconds for a
    /// short turn, about 0.15 s of CPU for an 11 s one; fixes some of the first pass's words.
    /// </summary>
    Lattice,

    /// <summary>
    /// pocketsphinx's own default (<c>-fwdflat yes -bestpath yes</c>): a flat-lexicon search over the whole utterance,
    /// then the lattice. Fewest misheard words on synthetic speech; 30–60 ms of CPU per second of speech at the turn end.
    /// </summary>
    Full,
}

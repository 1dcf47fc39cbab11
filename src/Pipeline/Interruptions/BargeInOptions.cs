namespace MediaServer.Pipeline.Interruptions;

/// <summary>
/// How the barge-in arbiter tells a real interruption from a backchannel, noise or echo. Defaults follow what voice
/// agent stacks settled on (LiveKit Agents: an interruption needs about half a second of speech, a false interruption
/// is given two seconds to produce words) and were checked against the labelled corpus in
/// <c>tests/Pipeline.Tests/Interruptions</c>.
/// </summary>
public sealed record BargeInOptions
{
    /// <summary>
    /// Unexplained (not echo) speech, in milliseconds, after which the user is taking the turn whatever the words.
    /// Backchannels ("uh-huh", "mm-hmm", "yeah right") are shorter than this; a sentence is not. On the corpus, 500 ms
    /// let "yeah right" through 3 times in 28 and 600 ms none; 700 keeps a margin for slower speakers.
    /// </summary>
    public int MinInterruptionMs { get; init; } = 700;

    /// <summary>Of that speech, how much must be voiced (periodic): noise bursts and coughs are not.</summary>
    public int MinVoicedMs { get; init; } = 300;

    /// <summary>
    /// Words outside the backchannel lexicon that interrupt early, once <see cref="MinWordsSpeechMs"/> of speech was
    /// heard ("wait stop that"). 0 turns the early word rule off. Pocketsphinx hears two words in an "okay" now and
    /// then ("bill gates"), hence three.
    /// </summary>
    public int MinInterruptionWords { get; init; } = 3;

    /// <summary>Speech needed before the recogniser's words are trusted.</summary>
    public int MinWordsSpeechMs { get; init; } = 600;

    /// <summary>
    /// When everything recognised so far is backchannel words ("yeah yeah right"), the duration rule waits this long
    /// instead of <see cref="MinInterruptionMs"/>.
    /// </summary>
    public int BackchannelMaxMs { get; init; } = 1400;

    /// <summary>
    /// Normalised cross-correlation between the microphone and the delayed outgoing audio above which a frame is the
    /// agent's own voice. 1 is a perfect copy; a user talking over an equally loud echo gives about 0.7.
    /// </summary>
    public float EchoSimilarity { get; init; } = 0.8f;

    /// <summary>Longest echo path searched (a phone hybrid or a room is 40–300 ms; jitter buffers add some).</summary>
    public int MaxEchoDelayMs { get; init; } = 500;

    /// <summary>Frame probability at or above which a frame is speech (the turn detector's threshold).</summary>
    public float SpeechThreshold { get; init; } = 0.5f;

    /// <summary>Frames quieter than this (dBFS) never count as speech evidence, whatever the VAD says.</summary>
    public float MinLevelDb { get; init; } = -55f;

    public void Validate()
    {
        if (MinInterruptionMs is < 0 or > 10_000) throw new ArgumentOutOfRangeException(nameof(MinInterruptionMs));
        if (MinVoicedMs < 0 || MinVoicedMs > MinInterruptionMs) throw new ArgumentOutOfRangeException(nameof(MinVoicedMs));
        if (MinInterruptionWords is < 0 or > 20) throw new ArgumentOutOfRangeException(nameof(MinInterruptionWords));
        if (BackchannelMaxMs < MinInterruptionMs) throw new ArgumentOutOfRangeException(nameof(BackchannelMaxMs));
        if (EchoSimilarity is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(EchoSimilarity));
        if (MaxEchoDelayMs is < 20 or > 1000) throw new ArgumentOutOfRangeException(nameof(MaxEchoDelayMs));
    }
}

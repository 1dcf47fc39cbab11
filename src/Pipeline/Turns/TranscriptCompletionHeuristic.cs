namespace MediaServer.Pipeline.Turns;

/// <summary>
/// A stand-in for a semantic end-of-turn model: judges from the words recognised so far whether the user is likely
/// done. A turn whose last word is a conjunction, preposition, article or hesitation ("and", "to", "the", "um") is
/// probably unfinished; anything else is taken as complete. Feed the result to
/// <see cref="EagernessTurnEndStrategy.CompletionProbability"/> on each partial transcript, so <c>semantic_vad</c>
/// waits up to the eagerness' maximum for "I'd like to order a pizza and ..." but answers "What time is it" quickly.
/// English only; text is never logged or kept.
/// </summary>
public static class TranscriptCompletionHeuristic
{
    /// <summary>Probability returned when the last word leaves the sentence hanging.</summary>
    public const float Unfinished = 0.1f;

    /// <summary>Probability returned otherwise.</summary>
    public const float Complete = 0.9f;

    private static readonly string[] HangingWords =
    [
        "a", "an", "the", "and", "but", "or", "so", "because", "if", "then", "that", "which", "who", "when", "while",
        "to", "of", "for", "with", "in", "on", "at", "from", "about", "into", "by", "my", "your", "our", "their", "his",
        "her", "its", "is", "are", "was", "were", "am", "be", "i", "we", "you", "um", "uh", "erm", "hmm", "like",
        "also", "maybe", "than", "as", "would", "could", "should", "can", "will", "do", "does", "did", "what", "where",
    ];

    /// <summary>
    /// The probability that <paramref name="transcript"/> is a complete turn, or null when there are no words yet
    /// (the strategy then treats the turn as complete).
    /// </summary>
    public static float? Estimate(ReadOnlySpan<char> transcript)
    {
        ReadOnlySpan<char> text = transcript.TrimEnd();
        if (text.IsEmpty)
        {
            return null;
        }

        char last = text[^1];
        if (last is '?' or '!' or '.')
        {
            return Complete;
        }

        if (last is ',' or ';' or ':' or '-')
        {
            return Unfinished;
        }

        int start = text.Length;
        while (start > 0 && (char.IsLetter(text[start - 1]) || text[start - 1] == '\''))
        {
            start--;
        }

        ReadOnlySpan<char> word = text[start..];
        if (word.IsEmpty)
        {
            return Complete;
        }

        foreach (string hanging in HangingWords)
        {
            if (word.Equals(hanging, StringComparison.OrdinalIgnoreCase))
            {
                return Unfinished;
            }
        }

        return Complete;
    }
}

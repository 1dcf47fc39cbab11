namespace MediaServer.Pipeline.Turns;

/// <summary>
/// A stand-in for a semantic end-of-turn model: judges from the words recognised so far whether the user is likely
/// done. A turn whose last word is a conjunction, preposition, article or hesitation ("and", "to", "the", "um"), or
/// whose last words are a discourse filler ("I mean", "you know", "let me see"), is probably unfinished; anything
/// else is taken as complete. <see cref="HeuristicEndOfTurnScorer"/> combines it with the final pitch movement.
/// English only; the streaming recogniser gives no punctuation, so punctuation is used only when present.
/// Text is never logged or kept.
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
        "her", "its", "is", "are", "was", "were", "am", "be", "i", "we", "you", "um", "uh", "erm", "er", "ah", "hmm",
        "mm", "like", "also", "maybe", "than", "as", "would", "could", "should", "can", "will", "do", "does", "did",
        "what", "where", "plus", "basically", "let",
        // A pronoun fused with an auxiliary needs what follows ("I'm ...", "it's ...").
        "i'm", "you're", "we're", "they're", "he's", "she's", "it's", "that's", "there's", "i've", "we've", "i'd",
        "i'll", "we'll", "you'll", "let's",
    ];

    /// <summary>Trailing phrases that hold the turn even though their last word could end a sentence.</summary>
    private static readonly string[][] HangingPhrases =
    [
        ["i", "mean"], ["you", "know"], ["kind", "of"], ["sort", "of"], ["let", "me", "see"], ["let", "me", "think"],
        ["and", "then"], ["or", "something"], ["as", "well", "as"], ["such", "as"], ["for", "example"],
    ];

    /// <summary>Words that open a question: a transcript starting with one that ends on a content word is a
    /// finished question, whatever the final pitch does (yes/no questions rise).</summary>
    private static readonly string[] QuestionOpeners =
    [
        "what", "when", "where", "who", "why", "how", "which", "whose", "can", "could", "would", "will", "is", "are",
        "do", "does", "did", "should", "shall", "may", "have", "has",
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

        ReadOnlySpan<char> word = LastWord(text, out int start);
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

        foreach (string[] phrase in HangingPhrases)
        {
            if (EndsWithPhrase(text, word, start, phrase))
            {
                return Unfinished;
            }
        }

        return Complete;
    }

    /// <summary>True when the first word opens a question ("what", "can", "is", ...).</summary>
    public static bool StartsLikeQuestion(ReadOnlySpan<char> transcript)
    {
        ReadOnlySpan<char> text = transcript.TrimStart();
        int end = 0;
        while (end < text.Length && (char.IsLetter(text[end]) || text[end] == '\''))
        {
            end++;
        }

        ReadOnlySpan<char> first = text[..end];
        foreach (string opener in QuestionOpeners)
        {
            if (first.Equals(opener, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<char> LastWord(ReadOnlySpan<char> text, out int start)
    {
        start = text.Length;
        while (start > 0 && (char.IsLetter(text[start - 1]) || text[start - 1] == '\'' || text[start - 1] == '-'))
        {
            start--;
        }

        return text[start..];
    }

    private static bool EndsWithPhrase(ReadOnlySpan<char> text, ReadOnlySpan<char> word, int start, string[] phrase)
    {
        if (!word.Equals(phrase[^1], StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text[..start];
        for (int i = phrase.Length - 2; i >= 0; i--)
        {
            rest = rest.TrimEnd();
            ReadOnlySpan<char> previous = LastWord(rest, out int previousStart);
            if (!previous.Equals(phrase[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            rest = rest[..previousStart];
        }

        return true;
    }
}

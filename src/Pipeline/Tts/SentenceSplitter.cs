namespace MediaServer.Pipeline.Tts;

/// <summary>
/// Cuts text into sentences so synthesis can stream: the first sentence is spoken while the rest is still being
/// rendered. Splits after <c>. ! ? ; :</c> and line breaks when whitespace follows (so "3.5" and "example.com"
/// stay whole), not after common abbreviations, and breaks very long sentences at a comma so no single piece
/// delays the audio for long.
/// </summary>
public static class SentenceSplitter
{
    /// <summary>Sentences longer than this are broken at their last comma before it.</summary>
    public const int MaxSentenceLength = 240;

    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "e.g", "i.e", "no", "approx", "mt", "inc", "ltd",
    };

    public static List<string> Split(string text)
    {
        var sentences = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return sentences;

        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var end = c is '\n' or '\r'
                || (c is '.' or '!' or '?' or ';' or ':' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]) || text[i + 1] is '"' or '\'' or ')'));
            if (end && c == '.' && IsAbbreviation(text, start, i)) end = false;
            if (!end) continue;

            // Keep closing quotes and brackets with the sentence they end.
            while (i + 1 < text.Length && text[i + 1] is '"' or '\'' or ')' or '.' or '!' or '?') i++;
            Add(sentences, text.AsSpan(start, i + 1 - start));
            start = i + 1;
        }

        if (start < text.Length) Add(sentences, text.AsSpan(start));
        return sentences;
    }

    private static bool IsAbbreviation(string text, int start, int dot)
    {
        var wordStart = dot;
        while (wordStart > start && !char.IsWhiteSpace(text[wordStart - 1])) wordStart--;
        var word = text.AsSpan(wordStart, dot - wordStart).TrimStart("(\"'");
        // Single capital letters are initials ("J. R. R. Tolkien").
        if (word.Length == 1 && char.IsUpper(word[0])) return true;
        return Abbreviations.Contains(word.ToString());
    }

    private static void Add(List<string> sentences, ReadOnlySpan<char> piece)
    {
        var trimmed = piece.Trim();
        while (trimmed.Length > MaxSentenceLength)
        {
            var cut = trimmed[..MaxSentenceLength].LastIndexOfAny(',', ' ');
            if (cut <= 0) cut = MaxSentenceLength - 1;
            AddOne(sentences, trimmed[..(cut + 1)]);
            trimmed = trimmed[(cut + 1)..].TrimStart();
        }

        AddOne(sentences, trimmed);
    }

    private static void AddOne(List<string> sentences, ReadOnlySpan<char> piece)
    {
        piece = piece.Trim();
        // Pieces with no letter or digit ("...", "-") produce no speech.
        foreach (var c in piece)
        {
            if (char.IsLetterOrDigit(c))
            {
                sentences.Add(piece.ToString());
                return;
            }
        }
    }
}

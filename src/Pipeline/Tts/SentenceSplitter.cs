using MediaServer.Pipeline.Text;

namespace MediaServer.Pipeline.Tts;

/// <summary>
/// Cuts a synthesis request's text into sentences so synthesis can stream: the first sentence is spoken while the rest
/// is still being rendered. Sentences end where <see cref="SentenceBoundary"/> says (the same rule the streaming
/// <see cref="SentenceSegmenter"/> uses), and also after <c>; :</c> and at line breaks, since a whole text has no
/// first-audio race to win by holding clauses together; very long sentences are broken at a comma so no single piece
/// delays the audio for long.
/// </summary>
public static class SentenceSplitter
{
    /// <summary>Sentences longer than this are broken at their last comma before it.</summary>
    public const int MaxSentenceLength = 240;

    public static List<string> Split(string text)
    {
        var sentences = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return sentences;

        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsWhiteSpace(c)) continue;
            var before = text.AsSpan(start, i - start).TrimEnd();
            if (c is '\n' or '\r' || SentenceBoundary.EndsSentence(before) || SentenceBoundary.FinalMark(before) is ';' or ':')
            {
                Add(sentences, before);
                start = i + 1;
            }
        }

        if (start < text.Length) Add(sentences, text.AsSpan(start));
        return sentences;
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

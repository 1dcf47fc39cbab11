using System.Runtime.InteropServices;

namespace MediaServer.Pipeline.Text;

/// <summary>
/// Cuts streamed text into speakable pieces so synthesis can start before the LLM has finished: a piece ends where
/// <see cref="SentenceBoundary"/> says a sentence ends (so "Dr. Smith" stays whole), or, for long clauses, at a comma,
/// semicolon or colon once <see cref="SoftLimit"/> characters have gathered. Small first pieces mean early first audio.
/// The <see cref="SegmentationMode"/> (Inworld's <c>providerData.tts.segmenter_strategy</c>) can cut the first piece at
/// its first clause instead, or never cut so the whole reply is one piece.
/// </summary>
public sealed class SentenceSegmenter(SegmentationMode mode = SegmentationMode.Sentence)
{
    /// <summary>Past this many characters a clause boundary also ends a piece.</summary>
    public const int SoftLimit = 120;

    /// <summary>In <see cref="SegmentationMode.FastStart"/>, a clause boundary ends the first piece once it has this many characters.</summary>
    public const int FastStartMinimum = 8;

    private readonly List<char> _buffer = [];
    private bool _cutOnce;

    public SegmentationMode Mode => mode;

    /// <summary>Feeds text; returns the pieces completed by it (possibly none).</summary>
    public IReadOnlyList<string> Append(string text)
    {
        List<string>? done = null;
        if (mode == SegmentationMode.FullTurn)
        {
            _buffer.AddRange(text);
            return [];
        }

        foreach (char c in text)
        {
            _buffer.Add(c);
            if (char.IsWhiteSpace(c) && _buffer.Count >= 2)
            {
                var before = CollectionsMarshal.AsSpan(_buffer)[..^1];
                int clauseLimit = mode == SegmentationMode.FastStart && !_cutOnce ? FastStartMinimum : SoftLimit;
                bool clauseEnd = SentenceBoundary.IsClauseMark(SentenceBoundary.FinalMark(before)) && _buffer.Count >= clauseLimit;
                if (clauseEnd || SentenceBoundary.EndsSentence(before))
                {
                    string piece = TakeBuffer();
                    if (piece.Length > 0)
                    {
                        _cutOnce = true;
                        (done ??= []).Add(piece);
                    }
                }
            }
        }

        return done ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Returns what is left (the last, unpunctuated piece), or null.</summary>
    public string? Flush()
    {
        string rest = TakeBuffer();
        return rest.Length > 0 ? rest : null;
    }

    private string TakeBuffer()
    {
        string piece = new string(((ReadOnlySpan<char>)CollectionsMarshal.AsSpan(_buffer)).Trim());
        _buffer.Clear();
        return piece;
    }
}

/// <summary>How streamed text is cut into pieces for synthesis.</summary>
public enum SegmentationMode
{
    /// <summary>At sentence ends (and long clauses): Inworld's <c>sentence</c>, <c>auto</c>, <c>balanced</c>.</summary>
    Sentence,

    /// <summary>The first piece ends at its first clause boundary, the rest at sentences: earliest first audio.</summary>
    FastStart,

    /// <summary>No cuts: the whole reply is synthesised as one piece when the LLM has finished (best prosody, slowest start).</summary>
    FullTurn,
}

using System.Text;

namespace MediaServer.Pipeline.Text;

/// <summary>
/// Cuts streamed text into speakable pieces so synthesis can start before the LLM has finished: a piece ends at
/// sentence punctuation followed by a space, or, for long clauses, at a comma or semicolon once
/// <see cref="SoftLimit"/> characters have gathered. Small first pieces mean early first audio.
/// </summary>
public sealed class SentenceSegmenter
{
    /// <summary>Past this many characters a clause boundary also ends a piece.</summary>
    public const int SoftLimit = 120;

    private readonly StringBuilder _buffer = new();

    /// <summary>Feeds text; returns the pieces completed by it (possibly none).</summary>
    public IReadOnlyList<string> Append(string text)
    {
        List<string>? done = null;
        foreach (char c in text)
        {
            _buffer.Append(c);
            if (char.IsWhiteSpace(c) && _buffer.Length >= 2)
            {
                char before = _buffer[^2];
                bool sentenceEnd = before is '.' or '!' or '?' or '…';
                bool clauseEnd = before is ',' or ';' or ':' && _buffer.Length >= SoftLimit;
                if (sentenceEnd || clauseEnd)
                {
                    string piece = _buffer.ToString().Trim();
                    _buffer.Clear();
                    if (piece.Length > 0)
                    {
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
        string rest = _buffer.ToString().Trim();
        _buffer.Clear();
        return rest.Length > 0 ? rest : null;
    }
}

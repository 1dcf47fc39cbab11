using System.Text;

namespace MediaServer.Pipeline.Text;

/// <summary>
/// Removes bracketed tags (<c>[laugh]</c>, <c>[speak softly]</c>) from streamed LLM text so they are never spoken
/// or shown as words, even when a tag arrives split across several tokens (<c>"[spe"</c>, <c>"ak softly] Hi"</c>).
/// Text after an unclosed <c>[</c> is held back until the <c>]</c> arrives, or released as text once it grows past
/// <see cref="MaxTagLength"/> characters (then it was not a tag).
/// </summary>
public sealed class StreamingTagFilter
{
    /// <summary>Longer bracketed spans are treated as text, not tags.</summary>
    public const int MaxTagLength = 64;

    private readonly StringBuilder _pending = new();
    private readonly List<string> _tags = [];

    /// <summary>Tags seen so far, without brackets, in order.</summary>
    public IReadOnlyList<string> Tags => _tags;

    /// <summary>Feeds a piece of text; returns the text that is now known to be free of tags.</summary>
    public string Append(string piece)
    {
        var output = new StringBuilder();
        foreach (char c in piece)
        {
            if (_pending.Length > 0)
            {
                _pending.Append(c);
                if (c == ']')
                {
                    _tags.Add(_pending.ToString(1, _pending.Length - 2).Trim());
                    _pending.Clear();
                }
                else if (_pending.Length > MaxTagLength)
                {
                    output.Append(_pending);
                    _pending.Clear();
                }
            }
            else if (c == '[')
            {
                _pending.Append(c);
            }
            else
            {
                output.Append(c);
            }
        }

        return output.ToString();
    }

    /// <summary>Ends the stream: an unclosed bracket is released as text.</summary>
    public string Flush()
    {
        string rest = _pending.ToString();
        _pending.Clear();
        return rest;
    }
}

namespace MediaServer.Pipeline.Llm.LlamaSharp;

/// <summary>
/// Passes streamed text through until a stop sequence appears, holding back only a tail that could still become
/// one, so the caller never sees a half-written <c>User:</c>. Tokens split stop sequences anywhere
/// (<c>"\nUs"</c>, <c>"er:"</c>), hence the hold-back rather than a per-token check.
/// </summary>
internal sealed class StopSequenceFilter(IReadOnlyList<string> stops)
{
    private string _held = string.Empty;

    public bool Stopped { get; private set; }

    /// <summary>Adds generated text; returns what may be shown now (possibly empty).</summary>
    public string Append(string piece)
    {
        if (Stopped) return string.Empty;
        var text = _held + piece;
        int cut = -1;
        foreach (var stop in stops)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }

        if (cut >= 0)
        {
            Stopped = true;
            _held = string.Empty;
            return text[..cut];
        }

        int hold = 0;
        foreach (var stop in stops)
        {
            for (int n = Math.Min(stop.Length - 1, text.Length); n > hold; n--)
            {
                if (text.AsSpan(text.Length - n).SequenceEqual(stop.AsSpan(0, n)))
                {
                    hold = n;
                    break;
                }
            }
        }

        _held = text[^hold..];
        return text[..^hold];
    }

    /// <summary>The generation ended: whatever was held back was not a stop sequence after all.</summary>
    public string Flush()
    {
        var rest = Stopped ? string.Empty : _held;
        _held = string.Empty;
        return rest;
    }
}

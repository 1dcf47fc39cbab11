namespace MediaServer.SipBridge.Messages;

/// <summary>
/// Ordered header fields of a message. Order matters for Via, Route and Record-Route (RFC 3261 §7.3.1), so this is
/// a list, searched case-insensitively by canonical name.
/// </summary>
public sealed class SipHeaderCollection : List<SipHeader>
{
    /// <summary>First value of <paramref name="name"/>, or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var h in this)
            {
                if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return h.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Number of lines named <paramref name="name"/>.</summary>
    public int CountOf(string name)
    {
        int n = 0;
        foreach (var h in this)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Every comma-separated value of every line named <paramref name="name"/>, in order.</summary>
    public List<string> GetValues(string name)
    {
        var values = new List<string>();
        foreach (var h in this)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                SipText.SplitList(h.Value, values);
            }
        }

        return values;
    }

    /// <summary>Appends one header line.</summary>
    public void Add(string name, string value) => Add(new SipHeader(name, value));

    /// <summary>Removes every line named <paramref name="name"/>.</summary>
    public void RemoveAll(string name) => RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Replaces every line named <paramref name="name"/> with one line holding <paramref name="value"/>.</summary>
    public void Set(string name, string value)
    {
        int at = FindIndex(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        RemoveAll(name);
        if (at < 0 || at > Count)
        {
            at = Count;
        }

        Insert(at, new SipHeader(name, value));
    }

    /// <summary>Replaces the first line named <paramref name="name"/> (for example the top Via).</summary>
    public void ReplaceFirst(string name, string value)
    {
        int at = FindIndex(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        if (at >= 0)
        {
            this[at] = new SipHeader(this[at].Name, value);
        }
    }
}

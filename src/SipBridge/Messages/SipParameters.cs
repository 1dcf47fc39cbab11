using System.Text;

namespace MediaServer.SipBridge.Messages;

/// <summary>
/// An ordered <c>;name[=value]</c> list (URI parameters, header parameters: RFC 3261 §19.1.1, §20).
/// Names compare case-insensitively; a parameter without value has a null value.
/// </summary>
public sealed class SipParameters : List<KeyValuePair<string, string?>>
{
    /// <summary>The value of <paramref name="name"/>, null when absent or valueless.</summary>
    public string? Get(string name)
    {
        foreach (var p in this)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="name"/> is present, with or without a value.</summary>
    public bool Has(string name) => Exists(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Sets (replacing) a parameter.</summary>
    public void Set(string name, string? value)
    {
        int at = FindIndex(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
        if (at >= 0)
        {
            this[at] = new(name, value);
        }
        else
        {
            Add(new(name, value));
        }
    }

    /// <summary>Removes a parameter.</summary>
    public void Remove(string name) => RemoveAll(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Writes <c>;name=value</c> for each parameter.</summary>
    public void AppendTo(StringBuilder sb)
    {
        foreach (var p in this)
        {
            sb.Append(';').Append(p.Key);
            if (p.Value is not null)
            {
                sb.Append('=').Append(p.Value);
            }
        }
    }

    /// <summary>
    /// Parses header parameters from <paramref name="s"/> at <paramref name="i"/> (which is at a ';' or the end),
    /// allowing LWS around ';' and '=' (RFC 3261 §25.1 SEMI/EQUAL). Values are tokens, hosts (IPv6 references
    /// included) or quoted strings (kept with their quotes). Fails on an empty name or trailing garbage.
    /// </summary>
    public static bool TryParseHeaderParams(string s, int i, SipParameters into, out SipRejectionReason reason)
    {
        reason = SipRejectionReason.None;
        i = SipText.SkipWhite(s, i);
        while (i < s.Length)
        {
            if (s[i] != ';')
            {
                reason = SipRejectionReason.InvalidNameAddress;
                return false;
            }

            i = SipText.SkipWhite(s, i + 1);
            int start = i;
            while (i < s.Length && SipText.IsTokenChar(s[i]))
            {
                i++;
            }

            if (i == start)
            {
                reason = SipRejectionReason.InvalidNameAddress;
                return false;
            }

            string name = s[start..i];
            i = SipText.SkipWhite(s, i);
            string? value = null;
            if (i < s.Length && s[i] == '=')
            {
                i = SipText.SkipWhite(s, i + 1);
                if (i < s.Length && s[i] == '"')
                {
                    int q = i;
                    if (!SipText.TryReadQuoted(s, i, out _, out i))
                    {
                        reason = SipRejectionReason.UnterminatedQuotedString;
                        return false;
                    }

                    value = s[q..i];
                }
                else
                {
                    int vs = i;
                    while (i < s.Length && (SipText.IsTokenChar(s[i]) || s[i] is '[' or ']' or ':'))
                    {
                        i++;
                    }

                    if (i == vs)
                    {
                        reason = SipRejectionReason.InvalidNameAddress;
                        return false;
                    }

                    value = s[vs..i];
                }

                i = SipText.SkipWhite(s, i);
            }

            into.Add(new(name, value));
        }

        return true;
    }
}

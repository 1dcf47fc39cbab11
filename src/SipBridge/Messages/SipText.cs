using System.Text;

namespace MediaServer.SipBridge.Messages;

/// <summary>RFC 3261 §25.1 basic rules: token characters, LWS, quoted strings, comma lists.</summary>
public static class SipText
{
    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").</summary>
    public static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
          or '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    /// <summary>True when <paramref name="s"/> is a non-empty token.</summary>
    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>SP or HTAB.</summary>
    public static bool IsWhite(char c) => c is ' ' or '\t';

    /// <summary>Index of the first non-whitespace char at or after <paramref name="i"/>.</summary>
    public static int SkipWhite(string s, int i)
    {
        while (i < s.Length && IsWhite(s[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// Reads a quoted-string starting at <paramref name="i"/> (which must be <c>"</c>), resolving quoted-pairs.
    /// Returns false when unterminated. <paramref name="end"/> is the index after the closing quote.
    /// </summary>
    public static bool TryReadQuoted(string s, int i, out string value, out int end)
    {
        var sb = new StringBuilder();
        for (int j = i + 1; j < s.Length; j++)
        {
            char c = s[j];
            if (c == '\\')
            {
                if (j + 1 >= s.Length)
                {
                    break;
                }

                sb.Append(s[++j]);
                continue;
            }

            if (c == '"')
            {
                value = sb.ToString();
                end = j + 1;
                return true;
            }

            sb.Append(c);
        }

        value = string.Empty;
        end = s.Length;
        return false;
    }

    /// <summary>Quotes <paramref name="value"/> as a quoted-string, escaping backslash and double quote.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Splits a header value on commas that are outside quoted strings and angle brackets (RFC 3261 §7.3.1),
    /// trimming each element. Empty elements are kept (as empty strings) so validators can reject them.
    /// Returns false for an unterminated quoted string.
    /// </summary>
    public static bool SplitList(string value, List<string> into)
    {
        bool inQuotes = false;
        bool inAngle = false;
        int start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (inQuotes)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inQuotes = true;
                    break;
                case '<':
                    inAngle = true;
                    break;
                case '>':
                    inAngle = false;
                    break;
                case ',' when !inAngle:
                    into.Add(value[start..i].Trim(' ', '\t'));
                    start = i + 1;
                    break;
            }
        }

        into.Add(value[start..].Trim(' ', '\t'));
        return !inQuotes;
    }

    /// <summary>Case-insensitive equality for header and parameter names (methods stay case-sensitive).</summary>
    public static bool NameEquals(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

using System.Text;

namespace MediaServer.SipBridge.Messages;

/// <summary>
/// <c>name-addr / addr-spec</c> followed by header parameters: the value of From, To, Contact, Route,
/// Record-Route, Refer-To (RFC 3261 §20.10, §25.1). The rules RFC 4475 tortures are enforced: a display name is
/// tokens or one quoted string (§3.1.2.15), no LWS inside &lt;&gt; (§3.1.2.14), an addr-spec holding '?' or ','
/// must be in &lt;&gt; (§3.1.2.13), no empty parameters (§3.1.2.1).
/// </summary>
public sealed class SipNameAddress
{
    /// <summary>Display name without quotes, or null.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The URI.</summary>
    public SipUri Uri { get; set; } = new();

    /// <summary>Header parameters (tag, expires, q...).</summary>
    public SipParameters Parameters { get; } = [];

    /// <summary>True for a Contact of <c>*</c>.</summary>
    public bool IsStar { get; private set; }

    /// <summary>The <c>tag</c> parameter (RFC 3261 §19.3).</summary>
    public string? Tag
    {
        get => Parameters.Get("tag");
        set
        {
            if (value is null)
            {
                Parameters.Remove("tag");
            }
            else
            {
                Parameters.Set("tag", value);
            }
        }
    }

    /// <summary>Creates a name-addr around <paramref name="uri"/>.</summary>
    public static SipNameAddress Create(SipUri uri, string? displayName = null) => new() { Uri = uri, DisplayName = displayName };

    /// <summary>Parses one value. Never throws.</summary>
    public static bool TryParse(string value, out SipNameAddress address, out SipRejectionReason reason)
    {
        address = new SipNameAddress();
        reason = SipRejectionReason.InvalidNameAddress;
        string s = value.Trim(' ', '\t');
        if (s == "*")
        {
            address.IsStar = true;
            reason = SipRejectionReason.None;
            return true;
        }

        int i = 0;
        int lt;
        if (s.StartsWith('"'))
        {
            if (!SipText.TryReadQuoted(s, 0, out string display, out i))
            {
                reason = SipRejectionReason.UnterminatedQuotedString;
                return false;
            }

            address.DisplayName = display;
            i = SipText.SkipWhite(s, i);
            if (i >= s.Length || s[i] != '<')
            {
                return false;
            }

            lt = i;
        }
        else
        {
            lt = s.IndexOf('<', StringComparison.Ordinal);
            int firstSemi = s.IndexOf(';', StringComparison.Ordinal);
            if (lt >= 0 && (firstSemi < 0 || lt < firstSemi))
            {
                string display = s[..lt].Trim(' ', '\t');
                foreach (char c in display)
                {
                    if (!SipText.IsTokenChar(c) && !SipText.IsWhite(c))
                    {
                        return false;
                    }
                }

                address.DisplayName = display.Length > 0 ? display : null;
            }
            else
            {
                lt = -1;
            }
        }

        if (lt >= 0)
        {
            int gt = s.IndexOf('>', lt + 1);
            if (gt < 0 || !SipUri.TryParse(s[(lt + 1)..gt], out var uri))
            {
                return false;
            }

            address.Uri = uri;
            i = gt + 1;
        }
        else
        {
            // addr-spec: ends at LWS or ';' (then header parameters follow).
            int end = 0;
            while (end < s.Length && s[end] != ';' && !SipText.IsWhite(s[end]))
            {
                end++;
            }

            string spec = s[..end];
            if (spec.Contains('?', StringComparison.Ordinal) || spec.Contains(',', StringComparison.Ordinal) || !SipUri.TryParse(spec, out var uri))
            {
                return false;
            }

            address.Uri = uri;
            i = end;
        }

        if (!SipParameters.TryParseHeaderParams(s, i, address.Parameters, out reason))
        {
            return false;
        }

        reason = SipRejectionReason.None;
        return true;
    }

    /// <summary>Parses a comma-separated list (Contact, Route, Record-Route).</summary>
    public static bool TryParseList(string value, List<SipNameAddress> into, out SipRejectionReason reason)
    {
        var parts = new List<string>();
        if (!SipText.SplitList(value, parts))
        {
            reason = SipRejectionReason.UnterminatedQuotedString;
            return false;
        }

        foreach (string part in parts)
        {
            if (part.Length == 0)
            {
                reason = SipRejectionReason.InvalidNameAddress;
                return false;
            }

            if (!TryParse(part, out var a, out reason))
            {
                return false;
            }

            into.Add(a);
        }

        reason = SipRejectionReason.None;
        return true;
    }

    /// <summary>Copies this value.</summary>
    public SipNameAddress Clone()
    {
        var copy = new SipNameAddress { DisplayName = DisplayName, Uri = Uri.Clone(), IsStar = IsStar };
        copy.Parameters.AddRange(Parameters);
        return copy;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (IsStar)
        {
            return "*";
        }

        var sb = new StringBuilder();
        if (DisplayName is not null)
        {
            sb.Append(SipText.Quote(DisplayName)).Append(' ');
        }

        sb.Append('<').Append(Uri).Append('>');
        Parameters.AppendTo(sb);
        return sb.ToString();
    }
}

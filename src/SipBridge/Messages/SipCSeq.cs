using System.Globalization;

namespace MediaServer.SipBridge.Messages;

/// <summary>CSeq (RFC 3261 §20.16): a sequence number below 2**31 and a method.</summary>
public readonly record struct SipCSeq(long Number, string Method)
{
    /// <summary>Parses <c>1*DIGIT LWS Method</c>. Never throws.</summary>
    public static bool TryParse(string value, out SipCSeq cseq)
    {
        cseq = default;
        string s = value.Trim(' ', '\t');
        int i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        if (i == 0 || i >= s.Length || !SipText.IsWhite(s[i]))
        {
            return false;
        }

        // Leading zeros are legal (RFC 4475 §3.1.1.1 "0009"); only the value is bounded.
        var digits = s.AsSpan(0, i).TrimStart('0');
        if (digits.Length > 10)
        {
            return false;
        }

        long n = digits.IsEmpty ? 0 : long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        if (n > int.MaxValue)
        {
            return false;
        }

        string method = s[i..].Trim(' ', '\t');
        if (!SipText.IsToken(method))
        {
            return false;
        }

        cseq = new SipCSeq(n, method);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Number.ToString(CultureInfo.InvariantCulture) + " " + Method;
}

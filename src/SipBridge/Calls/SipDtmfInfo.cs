namespace MediaServer.SipBridge.Calls;

/// <summary>
/// DTMF carried in SIP INFO bodies: <c>application/dtmf-relay</c> (<c>Signal=5</c>, the de-facto Cisco format)
/// and <c>application/dtmf</c> (the digit alone).
/// </summary>
public static class SipDtmfInfo
{
    /// <summary>Reads the digit; false when the body holds none.</summary>
    public static bool TryRead(string? contentType, string body, out char digit)
    {
        digit = '\0';
        string value = body.Trim();
        if (contentType == "application/dtmf-relay")
        {
            foreach (string line in body.Split('\n'))
            {
                int eq = line.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && line[..eq].Trim().Equals("Signal", StringComparison.OrdinalIgnoreCase))
                {
                    value = line[(eq + 1)..].Trim();
                    break;
                }
            }
        }
        else if (contentType != "application/dtmf")
        {
            return false;
        }

        if (value.Length == 1 && (char.IsAsciiDigit(value[0]) || value[0] is '*' or '#' or 'A' or 'B' or 'C' or 'D' or 'a' or 'b' or 'c' or 'd'))
        {
            digit = char.ToUpperInvariant(value[0]);
            return true;
        }

        if (value == "10")
        {
            digit = '*';
            return true;
        }

        if (value == "11")
        {
            digit = '#';
            return true;
        }

        return false;
    }
}

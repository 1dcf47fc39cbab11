using System.Globalization;

namespace MediaServer.Rtc.Sdp;

/// <summary>
/// Parses RFC 8866 text into a <see cref="SdpSessionDescription"/>. Never throws on input: the result is a
/// <see cref="SdpParseError"/>. Lenient where real peers are (LF-only line ends, trailing white space, unknown line
/// types, a missing <c>t=</c> is still an error since RFC 8866 requires it, but a missing <c>s=</c> is tolerated as
/// some gateways omit it).
/// </summary>
public static class SdpParser
{
    /// <summary>Largest accepted description: browser offers are 2–8 KB; 64 KB leaves room and bounds work.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>Most lines accepted.</summary>
    public const int MaxLines = 2000;

    /// <summary>Most media sections accepted (a browser offering many transceivers stays far below).</summary>
    public const int MaxMediaSections = 32;

    /// <summary>Parses <paramref name="text"/>.</summary>
    public static SdpParseError TryParse(string? text, out SdpSessionDescription description)
    {
        description = new SdpSessionDescription();
        if (string.IsNullOrWhiteSpace(text))
        {
            return SdpParseError.Empty;
        }

        if (text.Length > MaxLength)
        {
            return SdpParseError.TooLarge;
        }

        int lineCount = 0;
        bool sawVersion = false, sawOrigin = false, sawTiming = false;
        SdpMediaDescription? media = null;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            var line = rawLine.TrimEnd();
            if (line.IsEmpty)
            {
                continue;
            }

            if (++lineCount > MaxLines)
            {
                return SdpParseError.TooLarge;
            }

            if (line.Length < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z')
            {
                return SdpParseError.MalformedLine;
            }

            char type = line[0];
            string value = line[2..].ToString();
            if (!sawVersion)
            {
                if (type != 'v' || value.Trim() != "0")
                {
                    return SdpParseError.BadVersion;
                }

                sawVersion = true;
                continue;
            }

            if (type == 'm')
            {
                if (description.Media.Count >= MaxMediaSections)
                {
                    return SdpParseError.TooManyMediaSections;
                }

                if (!TryParseMediaLine(value, out media))
                {
                    return SdpParseError.MalformedMediaLine;
                }

                description.Media.Add(media);
                continue;
            }

            if (media is not null)
            {
                switch (type)
                {
                    case 'a': media.Attributes.Add(SdpAttribute.Parse(value)); break;
                    case 'c': media.Connection = value; break;
                    default: media.OtherLines.Add(new(type, value)); break;
                }

                continue;
            }

            switch (type)
            {
                case 'o': description.Origin = value; sawOrigin = true; break;
                case 's': description.SessionName = value; break;
                case 't': description.Timing = value; sawTiming = true; break;
                case 'c': description.Connection = value; break;
                case 'a': description.Attributes.Add(SdpAttribute.Parse(value)); break;
                case 'v': return SdpParseError.BadVersion;
                default: description.OtherLines.Add(new(type, value)); break;
            }
        }

        if (!sawVersion)
        {
            return SdpParseError.Empty;
        }

        return sawOrigin && sawTiming ? SdpParseError.None : SdpParseError.MissingMandatoryLine;
    }

    /// <summary><c>m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ...</c></summary>
    private static bool TryParseMediaLine(string value, out SdpMediaDescription media)
    {
        media = null!;
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4)
        {
            return false;
        }

        var portText = parts[1].AsSpan();
        int slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            portText = portText[..slash];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            return false;
        }

        media = new SdpMediaDescription { Media = parts[0], Port = port, Protocol = parts[2] };
        for (int i = 3; i < parts.Length; i++)
        {
            media.Formats.Add(parts[i]);
        }

        return true;
    }
}

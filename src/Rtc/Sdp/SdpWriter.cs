using System.Globalization;
using System.Text;

namespace MediaServer.Rtc.Sdp;

/// <summary>Writes a <see cref="SdpSessionDescription"/> as RFC 8866 text with CRLF line ends, in the order section 5 requires.</summary>
public static class SdpWriter
{
    /// <summary>Serialises <paramref name="description"/>.</summary>
    public static string Write(SdpSessionDescription description)
    {
        var sb = new StringBuilder(2048);
        Line(sb, 'v', description.Version.ToString(CultureInfo.InvariantCulture));
        Line(sb, 'o', description.Origin);
        Line(sb, 's', description.SessionName);
        WriteOthers(sb, description.OtherLines, "iuep");
        if (description.Connection is not null)
        {
            Line(sb, 'c', description.Connection);
        }

        WriteOthers(sb, description.OtherLines, "b");
        Line(sb, 't', description.Timing);
        WriteOthers(sb, description.OtherLines, "rzk");
        foreach (var attribute in description.Attributes)
        {
            Line(sb, 'a', attribute.ToString());
        }

        foreach (var media in description.Media)
        {
            sb.Append("m=").Append(media.Media).Append(' ').Append(media.Port.ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(media.Protocol);
            foreach (var format in media.Formats)
            {
                sb.Append(' ').Append(format);
            }

            sb.Append("\r\n");
            WriteOthers(sb, media.OtherLines, "i");
            if (media.Connection is not null)
            {
                Line(sb, 'c', media.Connection);
            }

            WriteOthers(sb, media.OtherLines, "bk");
            foreach (var attribute in media.Attributes)
            {
                Line(sb, 'a', attribute.ToString());
            }
        }

        return sb.ToString();
    }

    private static void WriteOthers(StringBuilder sb, List<KeyValuePair<char, string>> lines, string types)
    {
        foreach (var line in lines)
        {
            if (types.Contains(line.Key, StringComparison.Ordinal))
            {
                Line(sb, line.Key, line.Value);
            }
        }
    }

    private static void Line(StringBuilder sb, char type, string value) => sb.Append(type).Append('=').Append(value).Append("\r\n");
}

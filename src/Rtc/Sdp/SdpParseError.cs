namespace MediaServer.Rtc.Sdp;

/// <summary>Why a text is not a session description we accept, named after the RFC 8866 rule it breaks.</summary>
public enum SdpParseError
{
    /// <summary>Parsed.</summary>
    None,

    /// <summary>Empty input.</summary>
    Empty,

    /// <summary>Longer than <see cref="SdpParser.MaxLength"/> characters or <see cref="SdpParser.MaxLines"/> lines.</summary>
    TooLarge,

    /// <summary>A line is not <c>&lt;type&gt;=&lt;value&gt;</c> with a single lower-case letter type (section 5).</summary>
    MalformedLine,

    /// <summary>The first line is not <c>v=0</c> (section 5.1).</summary>
    BadVersion,

    /// <summary>An <c>m=</c> line lacks media, port, protocol or a format (section 5.14).</summary>
    MalformedMediaLine,

    /// <summary>More than <see cref="SdpParser.MaxMediaSections"/> media sections.</summary>
    TooManyMediaSections,

    /// <summary>A mandatory <c>o=</c>, <c>s=</c> or <c>t=</c> line is missing.</summary>
    MissingMandatoryLine,
}

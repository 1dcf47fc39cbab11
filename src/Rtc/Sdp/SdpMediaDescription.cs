namespace MediaServer.Rtc.Sdp;

/// <summary>
/// One media section: the <c>m=</c> line (RFC 8866 section 5.14) and the lines that follow it up to the next
/// <c>m=</c>. A port of 0 marks a rejected or disabled section (RFC 3264 section 6).
/// </summary>
public sealed class SdpMediaDescription
{
    /// <summary>Media type: <c>audio</c>, <c>video</c>, <c>application</c>, ...</summary>
    public required string Media { get; set; }

    /// <summary>Transport port; 0 rejects the section.</summary>
    public int Port { get; set; }

    /// <summary>Transport protocol, for example <c>UDP/TLS/RTP/SAVPF</c> or <c>UDP/DTLS/SCTP</c>.</summary>
    public required string Protocol { get; set; }

    /// <summary>Media formats: RTP payload types, or <c>webrtc-datachannel</c>.</summary>
    public List<string> Formats { get; } = [];

    /// <summary>The <c>c=</c> line value, if any (for example <c>IN IP4 127.0.0.1</c>).</summary>
    public string? Connection { get; set; }

    /// <summary>Other lines of the section (<c>b=</c>, <c>i=</c>, <c>k=</c>), kept as type and value.</summary>
    public List<KeyValuePair<char, string>> OtherLines { get; } = [];

    /// <summary>The section's attributes in order.</summary>
    public List<SdpAttribute> Attributes { get; } = [];

    /// <summary>The value of the first attribute named <paramref name="name"/>, or null.</summary>
    public string? GetAttribute(string name) => SdpAttributeLookup.Get(Attributes, name);

    /// <summary>True when a property or value attribute named <paramref name="name"/> is present.</summary>
    public bool HasAttribute(string name) => SdpAttributeLookup.Has(Attributes, name);

    /// <summary>Values of every attribute named <paramref name="name"/>.</summary>
    public IEnumerable<string> GetAttributes(string name) => SdpAttributeLookup.All(Attributes, name);

    /// <summary>The <c>a=mid</c> value (RFC 8843), or null.</summary>
    public string? Mid => GetAttribute("mid");
}

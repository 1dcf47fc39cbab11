namespace MediaServer.Rtc.Sdp;

/// <summary>
/// A session description (RFC 8866 section 5): the session-level lines and the media sections in order.
/// Unknown line types are kept so a parsed description can be written back.
/// </summary>
public sealed class SdpSessionDescription
{
    /// <summary><c>v=</c>: always 0.</summary>
    public int Version { get; set; }

    /// <summary><c>o=</c> value: <c>username sess-id sess-version nettype addrtype address</c>.</summary>
    public string Origin { get; set; } = "- 0 0 IN IP4 127.0.0.1";

    /// <summary><c>s=</c> value; <c>-</c> when there is none worth naming.</summary>
    public string SessionName { get; set; } = "-";

    /// <summary>Session-level <c>c=</c> value, if any.</summary>
    public string? Connection { get; set; }

    /// <summary><c>t=</c> value; <c>0 0</c> for an unbounded session.</summary>
    public string Timing { get; set; } = "0 0";

    /// <summary>Other session-level lines (<c>b=</c>, <c>i=</c>, <c>u=</c>, <c>e=</c>, ...).</summary>
    public List<KeyValuePair<char, string>> OtherLines { get; } = [];

    /// <summary>Session-level attributes in order.</summary>
    public List<SdpAttribute> Attributes { get; } = [];

    /// <summary>Media sections in order.</summary>
    public List<SdpMediaDescription> Media { get; } = [];

    /// <summary>The value of the first session-level attribute named <paramref name="name"/>, or null.</summary>
    public string? GetAttribute(string name) => SdpAttributeLookup.Get(Attributes, name);

    /// <summary>Values of every session-level attribute named <paramref name="name"/>.</summary>
    public IEnumerable<string> GetAttributes(string name) => SdpAttributeLookup.All(Attributes, name);

    /// <summary>True when a session-level attribute named <paramref name="name"/> is present.</summary>
    public bool HasAttribute(string name) => SdpAttributeLookup.Has(Attributes, name);
}

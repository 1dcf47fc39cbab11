namespace MediaServer.Rtc.Sdp;

/// <summary>
/// One <c>a=</c> line (RFC 8866 section 5.13): a property attribute (<c>a=rtcp-mux</c>, <see cref="Value"/> null)
/// or a value attribute (<c>a=mid:0</c>).
/// </summary>
public sealed record SdpAttribute(string Name, string? Value)
{
    /// <summary>Parses the text after <c>a=</c>; the name ends at the first colon.</summary>
    public static SdpAttribute Parse(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new SdpAttribute(text, null) : new SdpAttribute(text[..colon], text[(colon + 1)..]);
    }

    /// <inheritdoc/>
    public override string ToString() => Value is null ? Name : Name + ":" + Value;
}

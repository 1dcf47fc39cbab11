namespace MediaServer.Rtc.Sdp;

/// <summary>Attribute lookups shared by session and media level. Names compare ordinally, ignoring case.</summary>
internal static class SdpAttributeLookup
{
    public static string? Get(List<SdpAttribute> attributes, string name)
    {
        foreach (var attribute in attributes)
        {
            if (string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return attribute.Value ?? string.Empty;
            }
        }

        return null;
    }

    public static bool Has(List<SdpAttribute> attributes, string name) => Get(attributes, name) is not null;

    public static IEnumerable<string> All(List<SdpAttribute> attributes, string name)
    {
        foreach (var attribute in attributes)
        {
            if (string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                yield return attribute.Value ?? string.Empty;
            }
        }
    }
}

using System.Text.Json.Nodes;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>
/// Typed reads from Inworld's <c>providerData</c> extension object (REALTIME-PROTOCOL.md §6.3). The object is opaque
/// to the protocol layer (deep-merged and echoed as sent), so a value of the wrong type or out of range reads as
/// absent and the documented default applies; nothing here throws.
/// </summary>
internal static class ProviderData
{
    public static JsonObject? Section(JsonObject? providerData, string name) => providerData?[name] as JsonObject;

    public static bool Bool(JsonObject? section, string name, bool fallback) =>
        section?[name] is JsonValue v && v.TryGetValue(out bool b) ? b : fallback;

    public static double? Number(JsonObject? section, string name, double min, double max) =>
        TryNumber(section?[name], out double d) && d >= min && d <= max ? d : null;

    /// <summary>A number whether the node was parsed from JSON (any numeric) or built in code (int, long, double).</summary>
    private static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue(out double d)) value = d;
        else if (v.TryGetValue(out int i)) value = i;
        else if (v.TryGetValue(out long l)) value = l;
        else return false;
        return !double.IsNaN(value);
    }

    public static double Number(JsonObject? section, string name, double fallback, double min, double max) =>
        Number(section, name, min, max) ?? fallback;

    public static int Int(JsonObject? section, string name, int fallback, int min, int max) =>
        (int?)Number(section, name, min, max) ?? fallback;

    public static string? String(JsonObject? section, string name) =>
        section?[name] is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    public static List<string>? Strings(JsonObject? section, string name)
    {
        if (section?[name] is not JsonArray array) return null;
        var list = new List<string>();
        foreach (var item in array)
        {
            if (item is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s)) list.Add(s.Trim());
        }

        return list.Count > 0 ? list : null;
    }
}

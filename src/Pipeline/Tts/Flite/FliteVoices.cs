namespace MediaServer.Pipeline.Tts.Flite;

/// <summary>
/// flite's four English voices and the OpenAI voice names mapped onto them. The mapping follows the OpenAI
/// voices' perceived gender (the closest thing flite can match): female-sounding alloy, coral, sage, shimmer and
/// marin take slt (US female); echo, ash and cedar take rms (US male); ballad takes awb (Scottish male) and verse
/// takes kal (US male, diphone). Fixed so the same session always gets the same voice.
/// </summary>
public static class FliteVoices
{
    /// <summary>Voice name to the library voice name (<c>libflite_&lt;name&gt;.so.1</c>).</summary>
    public static IReadOnlyDictionary<string, string> Libraries { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["slt"] = "cmu_us_slt",
        ["rms"] = "cmu_us_rms",
        ["awb"] = "cmu_us_awb",
        // kal16 is the 16 kHz build of kal (plain kal is 8 kHz); every voice here then renders at 16 kHz.
        ["kal"] = "cmu_us_kal16",
    };

    /// <summary>OpenAI voice name to flite voice.</summary>
    public static IReadOnlyDictionary<string, string> OpenAIVoices { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["alloy"] = "slt",
        ["coral"] = "slt",
        ["sage"] = "slt",
        ["shimmer"] = "slt",
        ["marin"] = "slt",
        ["echo"] = "rms",
        ["ash"] = "rms",
        ["cedar"] = "rms",
        ["ballad"] = "awb",
        ["verse"] = "kal",
    };

    /// <summary>The flite voice for <paramref name="voice"/>: an OpenAI name, a flite name, else the default
    /// (which may itself be either), else slt.</summary>
    public static string Resolve(string? voice, string? defaultVoice) => Lookup(voice) ?? Lookup(defaultVoice) ?? "slt";

    private static string? Lookup(string? voice)
    {
        if (string.IsNullOrEmpty(voice)) return null;
        if (OpenAIVoices.TryGetValue(voice, out var mapped)) return mapped;
        return Libraries.ContainsKey(voice) ? voice.ToLowerInvariant() : null;
    }
}

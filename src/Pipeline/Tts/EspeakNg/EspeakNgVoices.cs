namespace MediaServer.Pipeline.Tts.EspeakNg;

/// <summary>
/// OpenAI voice names mapped to espeak-ng voices (language plus a voice variant): female-sounding names take the
/// female variants f1-f5, the others male variants, so each OpenAI voice sounds distinct and always the same.
/// Any other name is passed to espeak-ng as is when it looks like an espeak voice (<c>en-gb</c>,
/// <c>en-us+m3</c>); unknown names fall back to the default.
/// </summary>
public static class EspeakNgVoices
{
    public static IReadOnlyDictionary<string, string> OpenAIVoices { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["alloy"] = "en-us+f3",
        ["coral"] = "en-us+f2",
        ["sage"] = "en-gb+f4",
        ["shimmer"] = "en-us+f5",
        ["marin"] = "en-us+f1",
        ["echo"] = "en-us+m1",
        ["ash"] = "en-us+m3",
        ["cedar"] = "en-us+m7",
        ["ballad"] = "en-gb-scotland+m2",
        ["verse"] = "en-gb-x-rp+m4",
    };

    private static readonly HashSet<string> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        "en", "en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-029",
    };

    private static readonly HashSet<string> FemaleVariants = new(StringComparer.OrdinalIgnoreCase) { "f1", "f2", "f3", "f4", "f5" };

    /// <summary>The espeak-ng voice for <paramref name="voice"/>; with <paramref name="whisper"/> the variant
    /// becomes <c>whisperf</c> (female voices) or <c>whisper</c>.</summary>
    public static string Resolve(string? voice, string defaultVoice, bool whisper)
    {
        var resolved = Lookup(voice) ?? Lookup(defaultVoice) ?? "en-us";
        if (!whisper) return resolved;
        var plus = resolved.IndexOf('+', StringComparison.Ordinal);
        var language = plus < 0 ? resolved : resolved[..plus];
        var female = plus >= 0 && FemaleVariants.Contains(resolved[(plus + 1)..]);
        return language + (female ? "+whisperf" : "+whisper");
    }

    private static string? Lookup(string? voice)
    {
        if (string.IsNullOrEmpty(voice)) return null;
        if (OpenAIVoices.TryGetValue(voice, out var mapped)) return mapped;
        var plus = voice.IndexOf('+', StringComparison.Ordinal);
        var language = plus < 0 ? voice : voice[..plus];
        if (!Languages.Contains(language)) return null;
        // Variant names are file names under espeak-ng-data/voices/!v: letters and digits only.
        if (plus >= 0 && (plus == voice.Length - 1 || !voice.AsSpan(plus + 1).ContainsOnlyLettersOrDigits())) return null;
        return voice.ToLowerInvariant();
    }

    private static bool ContainsOnlyLettersOrDigits(this ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (!char.IsAsciiLetterOrDigit(c)) return false;
        return true;
    }
}

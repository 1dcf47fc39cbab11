using System.Text.RegularExpressions;

namespace MediaServer.Pipeline.Llm.Offline;

/// <summary>Word handling shared by the offline responder's rules.</summary>
internal static partial class OfflineText
{
    /// <summary>Lower-case words (letters, digits, apostrophes).</summary>
    public static List<string> Words(string? text) =>
        string.IsNullOrEmpty(text) ? [] : WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToList();

    /// <summary>Tokens as counted for usage: whitespace-separated words.</summary>
    public static int CountTokens(string? text) =>
        string.IsNullOrWhiteSpace(text) ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Whitespace-separated words, each with the whitespace before it (they concatenate back to the text).</summary>
    public static List<string> WordsWithSpacing(string text) => SpacedWord().Matches(text).Select(m => m.Value).ToList();

    [GeneratedRegex(@"\s*\S+")]
    private static partial Regex SpacedWord();

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex WordPattern();
}

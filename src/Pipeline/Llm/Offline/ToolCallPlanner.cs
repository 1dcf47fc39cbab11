using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Llm.Offline;

/// <summary>
/// Decides whether the offline responder calls one of the offered tools, and fills its arguments from the
/// user's words. A tool is "mentioned" when the user says a meaningful word of its name (<c>get_weather</c> and
/// <c>getWeather</c> both give "weather"; generic verbs such as get/set/lookup do not count). Required string
/// parameters are filled with the words after "in", "for", "about", "of", "to" or "called", else the whole utterance,
/// except identifier-like ones (<c>order_number</c>, <c>id</c>, <c>code</c>), which take the first word with a digit;
/// enum parameters with the value the user said; number parameters with the numbers said, in order. The tools
/// may be the client's functions or the server's MCP and web search tools: all arrive as declarations.
/// </summary>
internal static partial class ToolCallPlanner
{
    private static readonly HashSet<string> GenericWords = new(StringComparer.Ordinal)
    {
        "get", "set", "fetch", "find", "lookup", "look", "up", "search", "query", "list", "do", "run", "make", "call",
        "check", "tool", "function", "info", "information", "data", "by", "for", "of", "to", "the", "a", "an", "and",
        "or", "in", "on", "with", "from", "current", "my", "is", "it", "api",
    };

    private static readonly string[] ArgumentMarkers = ["about", "in", "for", "of", "to", "called", "named", "at"];

    /// <summary>Returns the call to make, or null when no tool applies (or the tool mode forbids calls).</summary>
    public static FunctionCallContent? Plan(string userText, ChatOptions? options)
    {
        var tools = options?.Tools?.OfType<AIFunctionDeclaration>().ToList();
        if (tools is null || tools.Count == 0 || options!.ToolMode is NoneChatToolMode) return null;

        AIFunctionDeclaration? chosen;
        if (options.ToolMode is RequiredChatToolMode { RequiredFunctionName: { } required })
        {
            chosen = tools.FirstOrDefault(t => string.Equals(t.Name, required, StringComparison.Ordinal));
            if (chosen is null) return null; // the caller forced a tool it did not offer: answer in words instead
        }
        else
        {
            chosen = BestMatch(userText, tools);
            if (chosen is null && options.ToolMode is RequiredChatToolMode) chosen = tools[0];
        }

        if (chosen is null) return null;
        return new FunctionCallContent(NewCallId(), chosen.Name, FillArguments(userText, chosen.JsonSchema));
    }

    /// <summary>A fresh id in OpenAI's form (<c>call_</c> and 24 letters and digits).</summary>
    internal static string NewCallId() => "call_" + Guid.NewGuid().ToString("N")[..24];

    /// <summary>Meaningful lower-case words of a tool name: snake_case, kebab-case and camelCase split.</summary>
    internal static List<string> NameWords(string name)
    {
        var spaced = CamelBoundary().Replace(name, " ");
        return spaced.Split(['_', '-', ' ', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.ToLowerInvariant())
            .Where(w => w.Length > 1 && !GenericWords.Contains(w))
            .ToList();
    }

    private static AIFunctionDeclaration? BestMatch(string userText, List<AIFunctionDeclaration> tools)
    {
        var heard = OfflineText.Words(userText).Select(Stem).ToHashSet(StringComparer.Ordinal);
        AIFunctionDeclaration? best = null;
        var bestScore = 0;
        foreach (var tool in tools)
        {
            var score = NameWords(tool.Name).Count(w => heard.Contains(Stem(w)));
            if (score > bestScore)
            {
                best = tool;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>Plural and -ing forms match their stem ("forecasts" matches forecast).</summary>
    private static string Stem(string word)
    {
        if (word.Length > 4 && word.EndsWith("ing", StringComparison.Ordinal)) return word[..^3];
        if (word.Length > 3 && word.EndsWith("es", StringComparison.Ordinal) && !word.EndsWith("ses", StringComparison.Ordinal)) return word[..^1];
        if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal)) return word[..^1];
        return word;
    }

    private static Dictionary<string, object?> FillArguments(string userText, JsonElement schema)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
            return arguments;

        var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];

        // Number parameters take the numbers said in order ("add 2 and 3" gives a=2, b=3); identifier-like string
        // parameters (order_number, id, code) take the first word with a digit in it ("order A-1234" gives A-1234).
        var numbers = FirstNumber().Matches(userText).Select(m => m.Value).ToList();
        var nextNumber = 0;

        // Words that name an enum choice ("fahrenheit") belong to that parameter, not to a free-text one.
        var choiceWords = properties.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array)
            .SelectMany(p => p.Value.GetProperty("enum").EnumerateArray())
            .Where(e => e.ValueKind == JsonValueKind.String)
            .Select(e => e.GetString()!.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);

        foreach (var property in properties.EnumerateObject())
        {
            if (!required.Contains(property.Name)) continue;
            var type = property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()
                : "string";
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("enum", out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                var options = choices.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!).ToList();
                if (options.Count > 0)
                {
                    var words = OfflineText.Words(userText).ToHashSet(StringComparer.Ordinal);
                    arguments[property.Name] = options.FirstOrDefault(o => words.Contains(o.ToLowerInvariant())) ?? options[0];
                    continue;
                }
            }

            switch (type)
            {
                case "integer":
                case "number":
                    if (numbers.Count > 0)
                    {
                        // More parameters than numbers said: the last number fills the rest.
                        var value = numbers[Math.Min(nextNumber++, numbers.Count - 1)];
                        arguments[property.Name] = type == "integer"
                            ? (object)(long)Math.Round(double.Parse(value, CultureInfo.InvariantCulture))
                            : double.Parse(value, CultureInfo.InvariantCulture);
                    }

                    break;
                case "string":
                    arguments[property.Name] = IsIdentifier(property.Name) && Identifier(userText) is { } id ? id : Subject(userText, choiceWords);
                    break;
            }
        }

        return arguments;
    }

    /// <summary>
    /// The words after the last argument marker ("the weather in London" gives "London"), leaving out filler and
    /// <paramref name="exclude"/>d words ("weather for Paris in fahrenheit" gives "Paris" when fahrenheit is an
    /// enum choice); else the whole utterance without its final punctuation.
    /// </summary>
    internal static string Subject(string userText, IReadOnlySet<string>? exclude = null)
    {
        var text = userText.Trim().TrimEnd('.', '?', '!', ',', ';', ':').Trim();
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = tokens.Length - 2; i >= 0; i--)
        {
            if (!ArgumentMarkers.Contains(Bare(tokens[i]))) continue;
            var tail = tokens.Skip(i + 1).Where(w => !IsFiller(w) && exclude?.Contains(Bare(w)) != true).ToList();
            while (tail.Count > 0 && ArgumentMarkers.Contains(Bare(tail[^1]))) tail.RemoveAt(tail.Count - 1);
            if (tail.Count > 0) return string.Join(' ', tail).Trim(',', '.', '?', '!');
        }

        return text;
    }

    /// <summary>Parameter names that hold a code rather than prose: <c>order_number</c>, <c>orderId</c>, <c>id</c>, <c>sku</c>, <c>code</c>.</summary>
    private static bool IsIdentifier(string name) =>
        NameWordsAll(name).Any(w => w is "id" or "number" or "no" or "code" or "sku" or "ref" or "reference");

    /// <summary>The first word holding a digit, without surrounding punctuation ("order #A-1234?" gives A-1234).</summary>
    private static string? Identifier(string userText) => userText
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(w => w.Trim(',', '.', '?', '!', ';', ':', '#', '"', '\''))
        .FirstOrDefault(w => w.Any(char.IsAsciiDigit));

    private static IEnumerable<string> NameWordsAll(string name) =>
        CamelBoundary().Replace(name, " ").Split(['_', '-', ' ', '.'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant());

    private static string Bare(string word) => word.ToLowerInvariant().Trim(',', '.', '?', '!', ';', ':');

    private static bool IsFiller(string word) => Bare(word) is "please" or "today" or "now" or "thanks";

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex CamelBoundary();

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex FirstNumber();
}

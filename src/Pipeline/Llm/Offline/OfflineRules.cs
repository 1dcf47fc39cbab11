using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace MediaServer.Pipeline.Llm.Offline;

/// <summary>What the offline responder decided: words to say, or a tool to call.</summary>
internal sealed record OfflineReply(string Text, FunctionCallContent? Call = null);

/// <summary>
/// The offline responder's rules, tried in this order:
/// (a) a line <c>Say: text</c> in the instructions or a system message is answered with exactly that text
///     (how tests and demos script answers, bracket tags such as <c>[laugh]</c> included);
/// (b) when the last message carries tool results, one sentence that reports them;
/// (c) when tools are offered and the user names one, a call to it (see <see cref="ToolCallPlanner"/>);
/// (d) greetings, the time, "who are you", thanks and goodbye;
/// (e) anything else is echoed ("You said: ..."), and silence gets "Sorry, I didn't catch that."
/// </summary>
internal static partial class OfflineRules
{
    public const string NotHeard = "Sorry, I didn't catch that.";

    public const string Identity = "I am the offline responder of this media server: a few fixed rules, not a language model. "
        + "I can greet you, tell the time, call your tools and repeat what I heard.";

    private const int MaxResultCharacters = 200;

    public static OfflineReply Decide(IReadOnlyList<ChatMessage> messages, ChatOptions? options, TimeProvider time)
    {
        if (ScriptedAnswer(messages, options) is { } scripted) return new OfflineReply(scripted);
        if (messages.Count > 0 && messages[^1].Contents.OfType<FunctionResultContent>().ToList() is { Count: > 0 } results)
            return new OfflineReply(ReportResults(messages, results));

        var userText = LastUserText(messages);
        if (ToolCallPlanner.Plan(userText, options) is { } call) return new OfflineReply(string.Empty, call);
        return new OfflineReply(SmallTalk(userText, time) ?? Echo(userText));
    }

    private static string? ScriptedAnswer(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var sources = new List<string?> { options?.Instructions };
        sources.AddRange(messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        foreach (var source in sources)
        {
            if (string.IsNullOrEmpty(source)) continue;
            var match = SayLine().Match(source);
            if (match.Success) return match.Groups[1].Value.Trim();
        }

        return null;
    }

    internal static string LastUserText(IReadOnlyList<ChatMessage> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.User) return messages[i].Text.Trim();
        }

        return string.Empty;
    }

    private static string ReportResults(IReadOnlyList<ChatMessage> messages, List<FunctionResultContent> results)
    {
        var parts = new List<string>();
        foreach (var result in results)
        {
            var name = messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
                .LastOrDefault(c => string.Equals(c.CallId, result.CallId, StringComparison.Ordinal))?.Name;
            var what = name is null ? "the tool" : string.Join(' ', SplitName(name));
            parts.Add(result.Exception is not null
                ? $"{what} failed"
                : $"{what} returned {Describe(result.Result)}");
        }

        return "Here is what I found: " + string.Join("; ", parts) + ".";
    }

    private static IEnumerable<string> SplitName(string name) =>
        ToolCallPlanner.NameWords(name) is { Count: > 0 } words ? words : [name];

    /// <summary>A tool result as short speakable text: JSON objects become "key value, key value".</summary>
    internal static string Describe(object? result)
    {
        var text = result switch
        {
            null => "nothing",
            JsonElement element => Flatten(element),
            string s when LooksLikeJson(s) && TryParse(s, out var parsed) => Flatten(parsed),
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Flatten(JsonSerializer.SerializeToElement(result, result.GetType(), AIJsonUtilities.DefaultOptions)),
        };
        text = text.Trim().TrimEnd('.');
        if (text.Length == 0) text = "nothing";
        return text.Length <= MaxResultCharacters ? text : text[..MaxResultCharacters].TrimEnd() + "...";
    }

    private static bool LooksLikeJson(string s) => s.TrimStart() is ['{', ..] or ['[', ..];

    private static bool TryParse(string s, out JsonElement element)
    {
        try
        {
            using var document = JsonDocument.Parse(s);
            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }

    private static string Flatten(JsonElement element)
    {
        var text = new StringBuilder();
        Append(text, element);
        return text.ToString();
    }

    private static void Append(StringBuilder text, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var first = true;
                foreach (var property in element.EnumerateObject())
                {
                    if (!first) text.Append(", ");
                    first = false;
                    text.Append(property.Name.Replace('_', ' ')).Append(' ');
                    Append(text, property.Value);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0) text.Append(", ");
                    Append(text, item);
                }

                break;
            case JsonValueKind.String:
                text.Append(element.GetString());
                break;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                text.Append("nothing");
                break;
            default:
                text.Append(element.GetRawText());
                break;
        }
    }

    private static string? SmallTalk(string userText, TimeProvider time)
    {
        var words = OfflineText.Words(userText);
        if (words.Count == 0) return null;
        var joined = " " + string.Join(' ', words) + " ";

        if (joined.Contains(" who are you ", StringComparison.Ordinal) || joined.Contains(" what are you ", StringComparison.Ordinal)
            || joined.Contains(" your name ", StringComparison.Ordinal) || joined.Contains(" what can you do ", StringComparison.Ordinal))
            return Identity;
        if (words.Contains("time") && (words.Contains("what") || words.Contains("what's") || words.Contains("tell")))
            return "It is " + time.GetLocalNow().ToString("h:mm tt", CultureInfo.InvariantCulture) + ".";
        if (words.Contains("thanks") || words.Contains("thank"))
            return "You're welcome.";
        if (words.Contains("goodbye") || words.Contains("bye"))
            return "Goodbye!";
        if (words[0] is "hello" or "hi" or "hey" or "greetings" || joined.Contains(" good morning ", StringComparison.Ordinal)
            || joined.Contains(" good afternoon ", StringComparison.Ordinal) || joined.Contains(" good evening ", StringComparison.Ordinal))
            return "Hello! I am the offline responder. How can I help?";
        return null;
    }

    private static string Echo(string userText)
    {
        var heard = userText.Trim().TrimEnd('.', '!', '?', ',', ';', ':').Trim();
        return heard.Length == 0 || OfflineText.Words(heard).Count == 0 ? NotHeard : $"You said: {heard}.";
    }

    [GeneratedRegex(@"^[ \t]*Say:[ \t]*(.+?)[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex SayLine();
}

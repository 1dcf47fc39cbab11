using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>
/// Produces the next <see cref="MemoryState"/>: a chat model asked for JSON <c>{summary, facts[]}</c> over the previous
/// memory and the recent transcript, or, for the offline responder (which cannot summarise), an extractive memory:
/// the user's recent sentences as the summary and their self-descriptions ("my name is", "I like", ...) as facts.
/// </summary>
public static partial class MemorySummarizer
{
    /// <summary>A summary from the model, or null when it did not answer in time; throws what the client throws.</summary>
    public static async Task<(string Summary, List<string> Facts)?> SummarizeAsync(IChatClient chat, MemorySettings settings, MemoryState previous,
        IReadOnlyList<(string Role, string Text)> transcript, TimeSpan deadline, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(previous);
        if (SmallModel.IsOffline(chat)) return Extract(settings, previous, transcript);
        string instruction =
            "You keep long-term memory for a voice assistant. Update the memory from the conversation. Reply with JSON only: " +
            $"{{\"summary\": \"...\", \"facts\": [\"...\"]}}. The summary is at most {settings.MaxMemoryLength} characters; " +
            $"at most {settings.MaxFacts} short facts about the user and what was agreed.";
        string user = "Previous memory: " + (previous.ContextText.Length > 0 ? previous.ContextText : "(none)") + "\n\nConversation:\n" +
                      string.Join('\n', transcript.Select(t => $"{t.Role}: {t.Text}"));
        var answer = await SmallModel.AskAsync(chat, [new ChatMessage(ChatRole.System, instruction), new ChatMessage(ChatRole.User, user)],
            0.2, 800, deadline, ct).ConfigureAwait(false);
        return answer is null ? null : Parse(settings, answer);
    }

    /// <summary>Reads the model's JSON (first object in the text); plain text becomes the summary.</summary>
    public static (string Summary, List<string> Facts) Parse(MemorySettings settings, string answer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(answer);
        int open = answer.IndexOf('{', StringComparison.Ordinal), close = answer.LastIndexOf('}');
        if (open >= 0 && close > open)
        {
            try
            {
                if (JsonNode.Parse(answer[open..(close + 1)]) is JsonObject json)
                {
                    string summary = ProviderData.String(json, "summary") ?? string.Empty;
                    return (Clip(summary, settings.MaxMemoryLength), [.. (ProviderData.Strings(json, "facts") ?? []).Take(settings.MaxFacts)]);
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON after all: the text is the summary.
            }
        }

        return (Clip(answer.Trim(), settings.MaxMemoryLength), []);
    }

    /// <summary>The offline memory: recent user sentences, and self-descriptions as facts (old facts kept first).</summary>
    public static (string Summary, List<string> Facts) Extract(MemorySettings settings, MemoryState previous, IReadOnlyList<(string Role, string Text)> transcript)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(previous);
        var said = transcript.Where(t => t.Role == "user").Select(t => t.Text.Trim()).Where(t => t.Length > 0).ToList();
        string summary = Clip((previous.Summary.Length > 0 ? previous.Summary + " " : string.Empty) + "The user said: " + string.Join(" / ", said), settings.MaxMemoryLength);
        var facts = new List<string>(previous.Facts);
        foreach (var text in said)
        {
            foreach (Match m in SelfDescription().Matches(text))
            {
                string fact = m.Value.Trim().TrimEnd('.', '!', '?', ',');
                if (!facts.Contains(fact, StringComparer.OrdinalIgnoreCase)) facts.Add(fact);
            }
        }

        return (summary, [.. facts.TakeLast(settings.MaxFacts)]);
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[^max..];

    [GeneratedRegex(@"\b(my name is|i am|i'm|i like|i love|i live in|i work|i have|call me)\b[^.!?;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SelfDescription();
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace MediaServer.Signaling.Realtime.Tools;

/// <summary>
/// The session's <c>truncation</c> (REALTIME-PROTOCOL.md §2): what happens when the conversation no longer fits the
/// context budget (<see cref="RealtimeToolOptions.ContextTokens"/>, or <c>token_limits.post_instructions</c>).
/// <list type="bullet">
/// <item><c>"auto"</c> (default): the oldest messages after the instructions are dropped until the prompt fits.</item>
/// <item><c>{type:"retention_ratio", retention_ratio:r}</c>: when it overflows, the oldest are dropped until what is
/// left is at most r × budget, so the next turns do not overflow again at once (OpenAI's reason: fewer cache busts).</item>
/// <item><c>"disabled"</c>: nothing is dropped; a prompt over the budget fails the response (<c>context_length_exceeded</c>).</item>
/// </list>
/// Tokens are estimated (about four characters each plus four per message, OpenAI's rule of thumb): the chat
/// provider's own tokenizer is not known here. Instructions (the leading system messages) are never dropped, and a
/// tool result is never kept without its call.
/// </summary>
internal static class ContextBudget
{
    /// <summary>Estimated tokens of one message.</summary>
    public static int Estimate(ChatMessage message)
    {
        long chars = 0;
        foreach (var content in message.Contents)
        {
            chars += content switch
            {
                TextContent t => t.Text.Length,
                FunctionCallContent f => f.Name.Length + (f.Arguments?.Sum(a => a.Key.Length + (a.Value?.ToString()?.Length ?? 4)) ?? 0),
                FunctionResultContent r => r.Result?.ToString()?.Length ?? 0,
                _ => 0,
            };
        }

        return (int)((chars + 3) / 4) + 4;
    }

    public static int Estimate(IEnumerable<ChatMessage> messages) => messages.Sum(Estimate);

    /// <summary>Trims <paramref name="messages"/> in place; returns false when it does not fit and truncation is disabled.</summary>
    public static bool Apply(List<ChatMessage> messages, JsonNode? truncation, int contextTokens, out int dropped)
    {
        dropped = 0;
        string mode = truncation is JsonValue v && v.TryGetValue(out string? s) ? s : truncation is JsonObject ? "retention_ratio" : "auto";
        int budget = contextTokens;
        double ratio = 1.0;
        if (truncation is JsonObject o)
        {
            if (o["retention_ratio"] is JsonValue r && r.TryGetValue(out double parsed) && parsed is > 0 and <= 1)
            {
                ratio = parsed;
            }

            if (o["token_limits"]?["post_instructions"] is JsonValue p && p.TryGetValue(out int limit) && limit > 0)
            {
                budget = limit;
            }
        }

        int head = 0;
        while (head < messages.Count && messages[head].Role == ChatRole.System)
        {
            head++;
        }

        int total = Estimate(messages.Skip(head));
        if (total <= budget)
        {
            return true;
        }

        if (mode == "disabled")
        {
            return false;
        }

        // The newest message (the turn being answered) always stays.
        int target = mode == "retention_ratio" ? (int)(budget * ratio) : budget;
        while (total > target && messages.Count - head > 1)
        {
            total -= Estimate(messages[head]);
            messages.RemoveAt(head);
            dropped++;
            // A result whose call went is dropped with it.
            while (messages.Count - head > 1 && (messages[head].Role == ChatRole.Tool || messages[head].Contents.All(c => c is FunctionResultContent)))
            {
                total -= Estimate(messages[head]);
                messages.RemoveAt(head);
                dropped++;
            }
        }

        return true;
    }
}

using MediaServer.Pipeline.Llm.Offline;
using Microsoft.Extensions.AI;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>
/// A cheap side question to a chat model (back-channel decisions, filler lines) under a hard deadline: a late answer
/// is worth nothing in a live conversation, so it is dropped, not awaited.
/// </summary>
internal static class SmallModel
{
    /// <summary>True when <paramref name="chat"/> is (or wraps) the built-in offline responder, which cannot judge
    /// free text: callers fall back to rules.</summary>
    public static bool IsOffline(IChatClient chat) => chat.GetService(typeof(OfflineResponderChatClient)) is not null;

    /// <summary>The model's answer text, or null when <paramref name="deadline"/> passed first.</summary>
    public static async Task<string?> AskAsync(IChatClient chat, IList<ChatMessage> messages, double temperature, int maxTokens,
        TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            var options = new ChatOptions { Temperature = (float)temperature, MaxOutputTokens = maxTokens };
            var response = await chat.GetResponseAsync(messages, options, timeout.Token).ConfigureAwait(false);
            return response.Text;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The last <paramref name="count"/> conversation items as "role: text" lines, for a side prompt.</summary>
    public static string HistoryTail(IEnumerable<Conversation.ConversationItem> items, int count)
    {
        var lines = items.Where(i => i.Type == "message" && !string.IsNullOrWhiteSpace(i.Text)).TakeLast(count).Select(i => $"{i.Role}: {i.Text}");
        return string.Join('\n', lines);
    }
}

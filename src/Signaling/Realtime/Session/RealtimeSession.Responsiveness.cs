using MediaServer.Signaling.Realtime.Inworld;
using Microsoft.Extensions.AI;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// Inworld's responsiveness fillers (<c>providerData.responsiveness</c>, REALTIME-PROTOCOL.md §6.3): a spoken reply whose
/// LLM is slow to produce its first token starts with a short filler ("Let me think.") on the normal
/// <c>response.output_audio.delta</c> path, in the same response and item, and the reply follows. The filler is
/// <c>pause_text</c>, else a line from <c>small_model</c> within <c>hard_deadline_ms</c> (never the offline responder),
/// else a stock line. At most one per response, none within <c>min_filler_gap_ms</c> of the last, and none on the
/// first assistant reply unless <c>enable_filler_on_first_assistant_reply</c>.
/// </summary>
public sealed partial class RealtimeSession
{
    private long _lastFillerTicks = long.MinValue;
    private int _fillerCount;

    /// <summary>Wraps a response's LLM stream; <paramref name="speak"/> puts a filler line on the response's speech path.</summary>
    internal IAsyncEnumerable<ChatResponseUpdate> WithResponsivenessFiller(IAsyncEnumerable<ChatResponseUpdate> stream, SessionConfig config,
        bool speaksAudio, Action<string> speak, CancellationToken cancellationToken)
    {
        var settings = ResponsivenessSettings.Read(config.ProviderData);
        if (!speaksAudio || !settings.Enabled || settings.MaxInitialPerTurn < 1) return stream;
        lock (Gate)
        {
            if (!settings.EnableFillerOnFirstAssistantReply && !Conversation.Items.Any(i => i.Role == "assistant")) return stream;
        }

        return FillerStream.WithFiller(
            stream,
            u => u.Contents.Any(c => c is TextContent { Text.Length: > 0 } or FunctionCallContent),
            TimeSpan.FromMilliseconds(settings.InitialWaitTimeoutMs),
            async ct =>
            {
                string history;
                lock (Gate)
                {
                    long now = Environment.TickCount64;
                    if (_lastFillerTicks != long.MinValue && now - _lastFillerTicks < settings.MinFillerGapMs) return;
                    _lastFillerTicks = now;
                    history = SmallModel.HistoryTail(Conversation.Items, settings.HistoryTailItems);
                }

                string line = settings.PauseText ?? await FillerFromSmallModelAsync(settings, history, ct).ConfigureAwait(false)
                    ?? ResponsivenessSettings.DefaultFillers[_fillerCount++ % ResponsivenessSettings.DefaultFillers.Count];
                speak(line);
            },
            cancellationToken);
    }

    private async Task<string?> FillerFromSmallModelAsync(ResponsivenessSettings settings, string history, CancellationToken ct)
    {
        if (settings.SmallModel is null) return null;
        try
        {
            var chat = Engines.ChatClients.Resolve(settings.SmallModel);
            if (SmallModel.IsOffline(chat)) return null;
            string instruction = settings.PromptTemplate ??
                "The assistant needs a moment before answering. Write one very short, natural spoken filler (under six words) " +
                "that fits the conversation, such as 'Let me check.' No other text.";
            var answer = await SmallModel.AskAsync(chat,
                [new ChatMessage(ChatRole.System, instruction.Replace("{history}", history, StringComparison.Ordinal)), new ChatMessage(ChatRole.User, history)],
                settings.Temperature, settings.MaxTokens, TimeSpan.FromMilliseconds(settings.HardDeadlineMs), ct).ConfigureAwait(false);
            answer = answer?.Trim().Trim('"');
            return string.IsNullOrWhiteSpace(answer) || answer.Length > 80 ? null : answer;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return null;
        }
    }
}

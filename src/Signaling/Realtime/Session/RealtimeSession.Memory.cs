using MediaServer.Signaling.Realtime.Inworld;
using MediaServer.Signaling.Realtime.Protocol;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace MediaServer.Signaling.Realtime.Session;

/// <summary>
/// Inworld's memory (<c>providerData.memory</c>, REALTIME-PROTOCOL.md §6.3): completed replies are counted in
/// <c>providerData.memory.state</c>; every <c>turn_interval</c> of them the conversation is summarised in the
/// background (<see cref="MemorySummarizer"/>) and the new state goes out in <c>session.updated</c>. Each response's
/// prompt then carries the memory as a system note after the instructions, and with <c>trim_after_summarize</c> only the
/// last <c>max_transcript_items</c> messages stay in the prompt (the summary stands in for the rest).
/// </summary>
public sealed partial class RealtimeSession
{
    private static readonly TimeSpan MemoryDeadline = TimeSpan.FromSeconds(30);
    private bool _memoryBusy;

    /// <summary>Called under <see cref="Gate"/> when a response has finished.</summary>
    private void MemoryTurnFinished(ResponseRunner runner)
    {
        if (!runner.WritesToConversation || runner.CancelRequested || _closed) return;
        var settings = MemorySettings.Read(Config.ProviderData);
        if (!settings.Enabled) return;
        var state = MemoryState.Read(Config.ProviderData);
        state = state with { TurnsSinceGen = state.TurnsSinceGen + 1, TotalTurns = state.TotalTurns + 1 };
        Config.ProviderData ??= [];
        state.WriteTo(Config.ProviderData);
        if (state.TurnsSinceGen < settings.TurnInterval || _memoryBusy) return;

        _memoryBusy = true;
        var messages = Conversation.Items.Where(i => i.Type == "message" && !string.IsNullOrWhiteSpace(i.Text)).ToList();
        var transcript = messages.TakeLast(settings.MaxTranscriptItems).Select(i => (i.Role ?? "user", i.Text)).ToList();
        int trimmed = settings.TrimAfterSummarize ? Math.Max(0, messages.Count - settings.MaxTranscriptItems) : 0;
        _ = Task.Run(() => SummarizeMemoryAsync(settings, state, transcript, trimmed));
    }

    private async Task SummarizeMemoryAsync(MemorySettings settings, MemoryState state, List<(string, string)> transcript, int trimmed)
    {
        (string Summary, List<string> Facts)? result = null;
        try
        {
            var chat = Engines.ChatClients.Resolve(settings.SmallModel ?? Config.Model);
            result = await MemorySummarizer.SummarizeAsync(chat, settings, state, transcript, MemoryDeadline, _backchannelStop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_backchannelStop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogMemoryFailed(Logger, ex);
        }

        lock (Gate)
        {
            _memoryBusy = false;
            if (_closed || result is not { } memory) return;
            var current = MemoryState.Read(Config.ProviderData);
            var next = new MemoryState(current.Version + 1, memory.Summary, memory.Facts,
                Math.Max(0, current.TurnsSinceGen - state.TurnsSinceGen), current.TotalTurns, Math.Max(current.ItemsTrimmed, trimmed));
            Config.ProviderData ??= [];
            next.WriteTo(Config.ProviderData);
            Emit(ServerEventJson.Build("session.updated", w =>
            {
                w.WritePropertyName("session");
                Config.WriteTo(w);
            }));
        }
    }

    /// <summary>
    /// Called under <see cref="Gate"/> with a response's prompt (instructions first): adds the memory note and, once a
    /// summary exists and trimming is on, drops the oldest messages beyond <c>max_transcript_items</c>.
    /// </summary>
    internal void ApplyMemory(SessionConfig config, List<ChatMessage> messages)
    {
        var settings = MemorySettings.Read(config.ProviderData);
        if (!settings.Enabled) return;
        var state = MemoryState.Read(Config.ProviderData);
        string context = state.ContextText;
        if (context.Length == 0) return;
        int head = messages.Count > 0 && messages[0].Role == ChatRole.System ? 1 : 0;
        if (settings.TrimAfterSummarize)
        {
            int excess = messages.Count - head - settings.MaxTranscriptItems;
            if (excess > 0) messages.RemoveRange(head, excess);
        }

        messages.Insert(head, new ChatMessage(ChatRole.System, context));
    }

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Memory summary failed; the previous memory is kept")]
    private static partial void LogMemoryFailed(ILogger logger, Exception ex);
}

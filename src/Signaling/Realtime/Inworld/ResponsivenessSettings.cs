using System.Text.Json.Nodes;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>
/// <c>providerData.responsiveness</c> (REALTIME-PROTOCOL.md §6.3): when the main LLM has produced no token within
/// <c>initial_wait_timeout_ms</c>, a short filler is spoken on the normal audio path and the reply follows.
/// <c>max_buffer_deltas</c> is accepted and has no effect (we do not buffer deltas).
/// </summary>
public sealed record ResponsivenessSettings
{
    public static readonly IReadOnlyList<string> DefaultFillers = ["Let me think.", "Hmm, one moment.", "Okay, let me see."];

    public bool Enabled { get; init; }

    public string? SmallModel { get; init; }

    public int InitialWaitTimeoutMs { get; init; } = 1200;

    public int HardDeadlineMs { get; init; } = 2000;

    public int HistoryTailItems { get; init; } = 4;

    public double Temperature { get; init; } = 0.7;

    public int MaxTokens { get; init; } = 12;

    public int MinFillerGapMs { get; init; } = 8000;

    public int MaxInitialPerTurn { get; init; } = 1;

    public bool EnableFillerOnFirstAssistantReply { get; init; }

    public string? PromptTemplate { get; init; }

    /// <summary>A fixed filler line; when absent a small model writes one (if configured) or a stock line is used.</summary>
    public string? PauseText { get; init; }

    public static ResponsivenessSettings Read(JsonObject? providerData)
    {
        var s = ProviderData.Section(providerData, "responsiveness");
        if (s is null) return new ResponsivenessSettings();
        var d = new ResponsivenessSettings();
        return new ResponsivenessSettings
        {
            Enabled = ProviderData.Bool(s, "enabled", false),
            SmallModel = ProviderData.String(s, "small_model"),
            InitialWaitTimeoutMs = ProviderData.Int(s, "initial_wait_timeout_ms", d.InitialWaitTimeoutMs, 0, 60_000),
            HardDeadlineMs = ProviderData.Int(s, "hard_deadline_ms", d.HardDeadlineMs, 50, 60_000),
            HistoryTailItems = ProviderData.Int(s, "history_tail_items", d.HistoryTailItems, 0, 100),
            Temperature = ProviderData.Number(s, "temperature", d.Temperature, 0, 2),
            MaxTokens = ProviderData.Int(s, "max_tokens", d.MaxTokens, 1, 256),
            MinFillerGapMs = ProviderData.Int(s, "min_filler_gap_ms", d.MinFillerGapMs, 0, 3_600_000),
            MaxInitialPerTurn = ProviderData.Int(s, "max_initial_per_turn", d.MaxInitialPerTurn, 0, 10),
            EnableFillerOnFirstAssistantReply = ProviderData.Bool(s, "enable_filler_on_first_assistant_reply", false),
            PromptTemplate = ProviderData.String(s, "prompt_template"),
            PauseText = ProviderData.String(s, "pause_text"),
        };
    }
}

using System.Text.Json.Nodes;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>
/// <c>providerData.backchannel</c> (REALTIME-PROTOCOL.md §6.3 table): short acknowledgements played while the user is
/// still talking. Defaults are Inworld's documented ones; <c>rule_fire_probability</c> has no documented default and
/// is 1 here (the rule fires whenever its timing allows).
/// </summary>
public sealed record BackchannelSettings
{
    public static readonly IReadOnlyList<string> DefaultPhrases = ["mm-hmm", "uh-huh", "right"];

    public bool Enabled { get; init; }

    /// <summary><c>llm</c> (default) or <c>rule</c>. The offline responder always gets the rule.</summary>
    public string DeciderKind { get; init; } = "llm";

    public string? SmallModel { get; init; }

    public int EvalIntervalMs { get; init; } = 800;

    public int MinSpeechMs { get; init; } = 800;

    public int MinGapMs { get; init; } = 4000;

    public int MaxPerTurn { get; init; } = 3;

    public int HardDeadlineMs { get; init; } = 1500;

    public int HistoryTailItems { get; init; } = 4;

    public double Temperature { get; init; } = 0.7;

    public int MaxTokens { get; init; } = 6;

    public double VolumeGain { get; init; } = 0.6;

    public bool RequirePause { get; init; }

    public double RuleFireProbability { get; init; } = 1.0;

    public IReadOnlyList<string> AllowedPhrases { get; init; } = DefaultPhrases;

    public string? PromptTemplate { get; init; }

    public static BackchannelSettings Read(JsonObject? providerData)
    {
        var s = ProviderData.Section(providerData, "backchannel");
        if (s is null) return new BackchannelSettings();
        var d = new BackchannelSettings();
        return new BackchannelSettings
        {
            Enabled = ProviderData.Bool(s, "enabled", false),
            DeciderKind = ProviderData.String(s, "decider_kind")?.ToLowerInvariant() is "rule" ? "rule" : "llm",
            SmallModel = ProviderData.String(s, "small_model"),
            EvalIntervalMs = ProviderData.Int(s, "eval_interval_ms", d.EvalIntervalMs, 20, 60_000),
            MinSpeechMs = ProviderData.Int(s, "min_speech_ms", d.MinSpeechMs, 0, 600_000),
            MinGapMs = ProviderData.Int(s, "min_gap_ms", d.MinGapMs, 0, 600_000),
            MaxPerTurn = ProviderData.Int(s, "max_per_turn", d.MaxPerTurn, 0, 100),
            HardDeadlineMs = ProviderData.Int(s, "hard_deadline_ms", d.HardDeadlineMs, 50, 60_000),
            HistoryTailItems = ProviderData.Int(s, "history_tail_items", d.HistoryTailItems, 0, 100),
            Temperature = ProviderData.Number(s, "temperature", d.Temperature, 0, 2),
            MaxTokens = ProviderData.Int(s, "max_tokens", d.MaxTokens, 1, 256),
            VolumeGain = ProviderData.Number(s, "volume_gain", d.VolumeGain, 0, 4),
            RequirePause = ProviderData.Bool(s, "require_pause", false),
            RuleFireProbability = ProviderData.Number(s, "rule_fire_probability", d.RuleFireProbability, 0, 1),
            AllowedPhrases = ProviderData.Strings(s, "allowed_phrases") ?? DefaultPhrases,
            PromptTemplate = ProviderData.String(s, "prompt_template"),
        };
    }
}

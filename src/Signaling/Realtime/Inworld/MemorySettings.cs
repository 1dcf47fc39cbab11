using System.Text.Json.Nodes;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>
/// <c>providerData.memory</c> (REALTIME-PROTOCOL.md §6.3): every <c>turn_interval</c> completed replies the
/// conversation is summarised (a summary and a list of facts), the result reaches the LLM as context, and older
/// items can leave the LLM's context (<c>trim_after_summarize</c>). The state lives in
/// <c>providerData.memory.state</c>, so a client restores memory by sending back a state it received.
/// </summary>
public sealed record MemorySettings
{
    public bool Enabled { get; init; }

    public int TurnInterval { get; init; } = 6;

    /// <summary>Longest summary, in characters.</summary>
    public int MaxMemoryLength { get; init; } = 2000;

    /// <summary>Most recent items given to the summariser, and kept in the LLM's context after a trim.</summary>
    public int MaxTranscriptItems { get; init; } = 40;

    public int MaxFacts { get; init; } = 20;

    public bool TrimAfterSummarize { get; init; } = true;

    /// <summary>Model that summarises; default the session's.</summary>
    public string? SmallModel { get; init; }

    public static MemorySettings Read(JsonObject? providerData)
    {
        var s = ProviderData.Section(providerData, "memory");
        if (s is null) return new MemorySettings();
        var d = new MemorySettings();
        return new MemorySettings
        {
            Enabled = ProviderData.Bool(s, "enabled", false),
            TurnInterval = ProviderData.Int(s, "turn_interval", d.TurnInterval, 1, 1000),
            MaxMemoryLength = ProviderData.Int(s, "max_memory_length", d.MaxMemoryLength, 50, 100_000),
            MaxTranscriptItems = ProviderData.Int(s, "max_transcript_items", d.MaxTranscriptItems, 2, 10_000),
            MaxFacts = ProviderData.Int(s, "max_facts", d.MaxFacts, 0, 1000),
            TrimAfterSummarize = ProviderData.Bool(s, "trim_after_summarize", true),
            SmallModel = ProviderData.String(s, "small_model"),
        };
    }
}

/// <summary>
/// <c>providerData.memory.state</c>: <c>{version, summary, facts[], context_text, turns_since_gen, total_turns,
/// items_trimmed}</c>. Clients deduplicate by <c>version</c>.
/// </summary>
public sealed record MemoryState(int Version, string Summary, IReadOnlyList<string> Facts, int TurnsSinceGen, int TotalTurns, int ItemsTrimmed)
{
    public static MemoryState Empty { get; } = new(0, string.Empty, [], 0, 0, 0);

    /// <summary>What the LLM is given: the summary and the facts, empty before the first summary.</summary>
    public string ContextText =>
        Summary.Length == 0 && Facts.Count == 0
            ? string.Empty
            : "Memory of the conversation so far. Summary: " + Summary + (Facts.Count > 0 ? "\nFacts: " + string.Join("; ", Facts) : string.Empty);

    public static MemoryState Read(JsonObject? providerData)
    {
        var s = ProviderData.Section(ProviderData.Section(providerData, "memory"), "state");
        if (s is null) return Empty;
        return new MemoryState(
            ProviderData.Int(s, "version", 0, 0, int.MaxValue),
            ProviderData.String(s, "summary") ?? string.Empty,
            ProviderData.Strings(s, "facts") ?? [],
            ProviderData.Int(s, "turns_since_gen", 0, 0, int.MaxValue),
            ProviderData.Int(s, "total_turns", 0, 0, int.MaxValue),
            ProviderData.Int(s, "items_trimmed", 0, 0, int.MaxValue));
    }

    /// <summary>Writes this state into <paramref name="providerData"/> under <c>memory.state</c>.</summary>
    public void WriteTo(JsonObject providerData)
    {
        ArgumentNullException.ThrowIfNull(providerData);
        if (providerData["memory"] is not JsonObject memory)
        {
            memory = [];
            providerData["memory"] = memory;
        }

        var facts = new JsonArray();
        foreach (var f in Facts) facts.Add(f);
        memory["state"] = new JsonObject
        {
            ["version"] = Version,
            ["summary"] = Summary,
            ["facts"] = facts,
            ["context_text"] = ContextText,
            ["turns_since_gen"] = TurnsSinceGen,
            ["total_turns"] = TotalTurns,
            ["items_trimmed"] = ItemsTrimmed,
        };
    }
}

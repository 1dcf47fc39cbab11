using Microsoft.Extensions.Logging;

namespace MediaServer.Pipeline.Expressive;

/// <summary>
/// Logs each tag outside <see cref="ExpressiveTagVocabulary"/> once per session (case-insensitive), so a model that
/// keeps inventing the same tag does not flood the log. Keep one per session; thread-safe. At most
/// <see cref="MaxDistinctTags"/> distinct tags are remembered and logged (a runaway model cannot grow it without
/// bound). The tag goes in a structured field, never in the message template.
/// </summary>
public sealed partial class UnknownTagLog(ILogger<UnknownTagLog> logger)
{
    /// <summary>Distinct unknown tags logged per session at most.</summary>
    public const int MaxDistinctTags = 32;

    private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>Logs the tags not logged before in this session; returns how many were new.</summary>
    public int Report(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var added = 0;
        foreach (var tag in tags)
        {
            var normalized = tag.Trim();
            lock (_lock)
            {
                if (_seen.Count >= MaxDistinctTags || !_seen.Add(normalized)) continue;
            }

            added++;
            LogUnknownTag(logger, normalized);
        }

        return added;
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "expressive tag not in the vocabulary, dropped from speech: {Tag}")]
    private static partial void LogUnknownTag(ILogger logger, string tag);
}

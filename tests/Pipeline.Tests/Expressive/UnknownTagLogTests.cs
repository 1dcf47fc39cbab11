using MediaServer.Pipeline.Expressive;
using Microsoft.Extensions.Logging;

namespace MediaServer.Pipeline.Tests.Expressive;

public sealed class UnknownTagLogTests
{
    [Fact]
    public void Each_unknown_tag_is_logged_once_per_session()
    {
        var logger = new ListLogger();
        var log = new UnknownTagLog(logger);
        Assert.Equal(2, log.Report(["citation needed", "robot voice"]));
        Assert.Equal(0, log.Report(["Citation Needed", " robot voice "]));
        Assert.Equal(1, log.Report(["footnote"]));
        Assert.Equal(3, logger.Entries.Count);
        Assert.All(logger.Entries, e => Assert.DoesNotContain("citation", e.Template, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(logger.Entries, e => e.Tag == "citation needed");
    }

    [Fact]
    public void Distinct_tags_are_capped()
    {
        var logger = new ListLogger();
        var log = new UnknownTagLog(logger);
        log.Report(Enumerable.Range(0, 100).Select(i => $"tag {i}"));
        Assert.Equal(UnknownTagLog.MaxDistinctTags, logger.Entries.Count);
    }

    private sealed class ListLogger : ILogger<UnknownTagLog>
    {
        public List<(string Template, string? Tag)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state as IReadOnlyList<KeyValuePair<string, object?>>;
            var template = fields?.FirstOrDefault(f => f.Key == "{OriginalFormat}").Value as string ?? "";
            var tag = fields?.FirstOrDefault(f => f.Key == "Tag").Value as string;
            Entries.Add((template, tag));
        }
    }
}

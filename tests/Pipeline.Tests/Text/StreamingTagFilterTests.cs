using MediaServer.Pipeline.Text;

namespace MediaServer.Pipeline.Tests.Text;

public sealed class StreamingTagFilterTests
{
    [Fact]
    public void Tags_split_across_tokens_never_leak_into_text()
    {
        var filter = new StreamingTagFilter();
        string text = string.Concat(new[] { "Hello ", "[spe", "ak soft", "ly]", " there [la", "ugh] friend." }.Select(filter.Append)) + filter.Flush();
        Assert.Equal("Hello  there  friend.", text);
        Assert.Equal(["speak softly", "laugh"], filter.Tags);
    }

    [Fact]
    public void A_bracket_that_never_closes_is_released_as_text()
    {
        var filter = new StreamingTagFilter();
        string text = filter.Append("price [approx") + filter.Flush();
        Assert.Equal("price [approx", text);
        Assert.Empty(filter.Tags);
    }

    [Fact]
    public void An_overlong_bracketed_span_is_text()
    {
        var filter = new StreamingTagFilter();
        string longSpan = "[" + new string('x', StreamingTagFilter.MaxTagLength + 5) + "]";
        Assert.Equal(longSpan, filter.Append(longSpan) + filter.Flush());
    }
}

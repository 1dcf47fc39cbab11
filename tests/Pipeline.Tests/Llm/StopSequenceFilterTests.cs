using MediaServer.Pipeline.Llm.LlamaSharp;

namespace MediaServer.Pipeline.Tests.Llm;

public sealed class StopSequenceFilterTests
{
    [Fact]
    public void Text_without_a_stop_passes_through_except_a_possible_start_of_one()
    {
        var filter = new StopSequenceFilter(["\nUser:"]);
        Assert.Equal(" The cat", filter.Append(" The cat"));
        Assert.Equal(" sat.", filter.Append(" sat.\n")); // "\n" could begin "\nUser:"
        Assert.Equal("\nThe end", filter.Append("The end"));
        Assert.Equal(string.Empty, filter.Flush());
        Assert.False(filter.Stopped);
    }

    [Fact]
    public void A_stop_split_across_tokens_is_never_shown()
    {
        var filter = new StopSequenceFilter(["\nUser:"]);
        var shown = filter.Append(" Yes.") + filter.Append("\nUs") + filter.Append("er") + filter.Append(": more");
        Assert.Equal(" Yes.", shown);
        Assert.True(filter.Stopped);
        Assert.Equal(string.Empty, filter.Append("ignored"));
        Assert.Equal(string.Empty, filter.Flush());
    }

    [Fact]
    public void A_held_back_tail_that_came_to_nothing_is_flushed()
    {
        var filter = new StopSequenceFilter(["\nUser:", "\nSystem:"]);
        Assert.Equal("Bye.", filter.Append("Bye.\nUs"));
        Assert.Equal("\nUs", filter.Flush());
    }

    [Fact]
    public void The_earliest_stop_wins()
    {
        var filter = new StopSequenceFilter(["\nUser:", "\nSystem:"]);
        Assert.Equal("a", filter.Append("a\nSystem: x\nUser: y"));
        Assert.True(filter.Stopped);
    }
}

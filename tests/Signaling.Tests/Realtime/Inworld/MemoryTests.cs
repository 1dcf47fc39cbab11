using System.Text.Json.Nodes;
using MediaServer.Signaling.Realtime.Inworld;

namespace MediaServer.Signaling.Tests.Realtime.Inworld;

public sealed class MemoryTests
{
    private static readonly MemorySettings Settings = new() { Enabled = true, MaxFacts = 3, MaxMemoryLength = 200 };

    [Fact]
    public void StateRoundTripsThroughProviderDataBuiltInCode()
    {
        var providerData = new JsonObject { ["memory"] = new JsonObject { ["enabled"] = true } };
        var state = new MemoryState(2, "Alice likes tea.", ["Name: Alice"], 1, 7, 4);
        state.WriteTo(providerData);
        var read = MemoryState.Read(providerData);
        Assert.Equal((2, "Alice likes tea.", 1, 7, 4), (read.Version, read.Summary, read.TurnsSinceGen, read.TotalTurns, read.ItemsTrimmed));
        Assert.Equal(["Name: Alice"], read.Facts);
        Assert.True((bool)providerData["memory"]!["enabled"]!);
        Assert.Contains("Alice likes tea.", (string?)providerData["memory"]!["state"]!["context_text"], StringComparison.Ordinal);

        // And as a client sends it back (parsed JSON).
        var echoed = MemoryState.Read(JsonNode.Parse(providerData.ToJsonString())!.AsObject());
        Assert.Equal(read.Version, echoed.Version);
        Assert.Equal(read.TotalTurns, echoed.TotalTurns);
    }

    [Fact]
    public void ModelJsonIsReadAndLimited()
    {
        var (summary, facts) = MemorySummarizer.Parse(Settings, """Sure! {"summary":"S","facts":["a","b","c","d"]}""");
        Assert.Equal("S", summary);
        Assert.Equal(["a", "b", "c"], facts);
        Assert.Equal(("just text", 0), (MemorySummarizer.Parse(Settings, " just text ").Summary, MemorySummarizer.Parse(Settings, "just text").Facts.Count));
        Assert.Equal("{not json", MemorySummarizer.Parse(Settings, "{not json").Summary);
    }

    [Fact]
    public void ExtractiveMemoryKeepsSelfDescriptionsOnce()
    {
        var first = MemorySummarizer.Extract(Settings, MemoryState.Empty, [("user", "Hi, my name is Alice."), ("assistant", "Hello Alice."), ("user", "I like green tea!")]);
        Assert.Equal(["my name is Alice", "I like green tea"], first.Facts);
        Assert.Contains("I like green tea", first.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Hello Alice", first.Summary, StringComparison.Ordinal);

        var previous = new MemoryState(1, first.Summary, first.Facts, 0, 2, 0);
        var second = MemorySummarizer.Extract(Settings, previous, [("user", "My name is Alice"), ("user", "I live in Paris and I work at home.")]);
        Assert.Equal(["I like green tea", "I live in Paris and I work at home"], second.Facts.Skip(1));
        Assert.Equal(3, second.Facts.Count); // max_facts keeps the newest
        Assert.True(second.Summary.Length <= Settings.MaxMemoryLength);
    }
}

using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Inworld;

/// <summary>
/// <c>providerData.memory</c> end to end: a summary every <c>turn_interval</c> replies, its state echoed in
/// <c>session.updated.session.providerData.memory.state</c>, the memory in the next prompt, and a restored state.
/// </summary>
public sealed class InworldMemoryTests(InworldServerFixture fixture) : IClassFixture<InworldServerFixture>
{
    [Fact]
    public async Task ModelSummaryIsEchoedAndReachesTheNextPrompt()
    {
        await using var client = await ConnectAsync(new { model = "fake/fast", output_modalities = new[] { "text" }, providerData = new { memory = new { enabled = true, turn_interval = 2 } } });
        await TurnAsync(client, "My name is Alice.");
        await TurnAsync(client, "What is the answer?");

        var state = await MemoryStateAsync(client);
        Assert.Equal(1, (int)state["version"]!);
        Assert.Equal("The user is Alice and asked for the answer.", (string?)state["summary"]);
        Assert.Equal("Name: Alice", (string?)state["facts"]![0]);
        Assert.Equal(2, (int)state["total_turns"]!);
        Assert.Equal(0, (int)state["turns_since_gen"]!);
        string context = (string)state["context_text"]!;
        Assert.Contains("The user is Alice", context, StringComparison.Ordinal);

        await TurnAsync(client, "And again?");
        var last = fixture.Llm.Requests.Last(r => r.Model == "fast" && r.Stream);
        Assert.Contains("The user is Alice and asked for the answer.", last.Messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfflineResponderGetsAnExtractiveMemory()
    {
        await using var client = await ConnectAsync(new { output_modalities = new[] { "text" }, providerData = new { memory = new { enabled = true, turn_interval = 2 } } });
        await TurnAsync(client, "My name is Alice.");
        await TurnAsync(client, "I like green tea.");
        var state = await MemoryStateAsync(client);
        var facts = state["facts"]!.AsArray().Select(f => (string?)f).ToList();
        Assert.Contains("My name is Alice", facts);
        Assert.Contains("I like green tea", facts);
        Assert.Contains("I like green tea", (string?)state["summary"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoredStateIsUsedAtOnce()
    {
        await using var client = await ConnectAsync(new
        {
            model = "fake/fast",
            output_modalities = new[] { "text" },
            providerData = new { memory = new { enabled = true, turn_interval = 5, state = new { version = 3, summary = "Bob ordered a pizza yesterday.", facts = new[] { "Name: Bob" } } } },
        });
        await TurnAsync(client, "Where is my order?");
        var last = fixture.Llm.Requests.Last(r => r.Model == "fast" && r.Stream);
        Assert.Contains("Bob ordered a pizza yesterday.", last.Messages, StringComparison.Ordinal);
        Assert.Contains("Name: Bob", last.Messages, StringComparison.Ordinal);
    }

    private async Task<RealtimeTestClient> ConnectAsync(object session)
    {
        var client = await RealtimeTestClient.ConnectPathAsync(fixture.Server,
            $"/api/v1/realtime/session?key=mem-{Guid.NewGuid():N}&protocol=realtime", "Basic dGVzdC1rZXk=");
        await client.WaitForAsync("session.created");
        await client.SendAsync(new { type = "session.update", session });
        await client.WaitForAsync("session.updated");
        return client;
    }

    private static async Task TurnAsync(RealtimeTestClient client, string text)
    {
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } } });
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
    }

    private static async Task<JsonNode> MemoryStateAsync(RealtimeTestClient client)
    {
        var updated = await client.WaitForAsync("session.updated", 30, e => e["session"]?["providerData"]?["memory"]?["state"]?["version"] is not null
            && (int)e["session"]!["providerData"]!["memory"]!["state"]!["version"]! > 0);
        return updated["session"]!["providerData"]!["memory"]!["state"]!;
    }
}

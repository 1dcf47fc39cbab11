using System.Text.Json.Nodes;
using MediaServer.Signaling.Realtime.Tools;
using Microsoft.Extensions.AI;

namespace MediaServer.Signaling.Tests.Realtime.Tools;

public sealed class ContextBudgetTests
{
    private static List<ChatMessage> Conversation(int turns)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are a test agent.") };
        for (int i = 0; i < turns; i++)
        {
            messages.Add(new ChatMessage(ChatRole.User, $"turn {i} " + new string('x', 396))); // ~104 tokens each
        }

        return messages;
    }

    [Fact]
    public void Auto_drops_the_oldest_turns_until_the_prompt_fits_and_keeps_the_instructions()
    {
        var messages = Conversation(10);
        Assert.True(ContextBudget.Apply(messages, JsonValue.Create("auto"), 500, out int dropped));
        Assert.Equal(ChatRole.System, messages[0].Role);
        Assert.True(ContextBudget.Estimate(messages.Skip(1)) <= 500);
        Assert.Equal(10 - (messages.Count - 1), dropped);
        Assert.StartsWith("turn 9", messages[^1].Text);
        Assert.StartsWith($"turn {dropped}", messages[1].Text); // the oldest went first
    }

    [Fact]
    public void Retention_ratio_trims_further_than_auto_and_token_limits_set_the_budget()
    {
        var truncation = JsonNode.Parse("""{"type":"retention_ratio","retention_ratio":0.5,"token_limits":{"post_instructions":1000}}""");
        var messages = Conversation(12);
        Assert.True(ContextBudget.Apply(messages, truncation, 32_000, out _));
        int kept = ContextBudget.Estimate(messages.Skip(1));
        Assert.InRange(kept, 1, 500);
    }

    [Fact]
    public void A_prompt_that_fits_is_left_alone()
    {
        var messages = Conversation(3);
        Assert.True(ContextBudget.Apply(messages, JsonValue.Create("auto"), 32_000, out int dropped));
        Assert.Equal(0, dropped);
        Assert.Equal(4, messages.Count);
    }

    [Fact]
    public void Disabled_refuses_to_drop_anything()
    {
        var messages = Conversation(10);
        Assert.False(ContextBudget.Apply(messages, JsonValue.Create("disabled"), 500, out _));
        Assert.Equal(11, messages.Count);
    }

    [Fact]
    public void A_tool_result_is_never_kept_without_its_call()
    {
        var messages = new List<ChatMessage>
        {
            new(ChatRole.User, new string('a', 2000)),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup", new Dictionary<string, object?> { ["q"] = "x" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", new string('r', 400))]),
            new(ChatRole.User, "and now?"),
        };
        Assert.True(ContextBudget.Apply(messages, null, 60, out _));
        Assert.DoesNotContain(messages, m => m.Role == ChatRole.Tool);
        Assert.Equal("and now?", messages[^1].Text);
    }
}

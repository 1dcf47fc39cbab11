using static MediaServer.Tests.Tools.ToolTestSupport;

namespace MediaServer.Tests.Tools;

/// <summary><c>max_output_tokens</c>, <c>truncation</c> and <c>usage</c> end to end through the WebSocket.</summary>
[Collection("Tools")]
public sealed class CostControlTests(ToolsFixture fixture)
{
    [Fact]
    public async Task Session_max_output_tokens_ends_the_response_incomplete_and_a_response_override_wins()
    {
        await using var client = await ConnectAsync(fixture.Server, [], extra: new Dictionary<string, object?>
        {
            ["instructions"] = "Say: one two three four five six seven eight",
            ["max_output_tokens"] = 3,
        });
        Assert.Equal(3, (int)client.All("session.updated").Last()["session"]!["max_output_tokens"]!);
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        Assert.Equal("incomplete", (string?)done["response"]!["status"]);
        Assert.Equal("max_output_tokens", (string?)done["response"]!["status_details"]!["reason"]);
        Assert.Equal("one two three", (string?)client.All("response.output_text.done").Last()["text"]);
        Assert.Equal(3, (int)done["response"]!["usage"]!["output_tokens"]!);

        await client.SendAsync(new { type = "response.create", response = new { max_output_tokens = "inf", conversation = "none" } });
        var unlimited = await client.WaitForAsync("response.done", 60);
        Assert.Equal("completed", (string?)unlimited["response"]!["status"]);
        Assert.Equal("inf", (string?)unlimited["response"]!["max_output_tokens"]);
    }

    [Fact]
    public async Task Truncation_disabled_fails_an_overflowing_prompt_and_retention_ratio_drops_old_turns()
    {
        var limits = new { type = "retention_ratio", retention_ratio = 0.5, token_limits = new { post_instructions = 120 } };
        await using var client = await ConnectAsync(fixture.Server, [], extra: new Dictionary<string, object?> { ["truncation"] = "disabled" });
        string filler = string.Join(' ', Enumerable.Repeat("lorem ipsum dolor sit amet", 30)); // about 200 tokens each
        for (int i = 0; i < 4; i++)
        {
            await SayAsync(client, $"note {i}: {filler}");
        }

        await SayAsync(client, "hello");
        await client.SendAsync(new { type = "response.create" });
        var first = await client.WaitForAsync("response.done", 60);
        // Disabled with the default 32k budget: everything fits and is sent.
        Assert.Equal("completed", (string?)first["response"]!["status"]);
        long all = (long)first["response"]!["usage"]!["input_tokens"]!;

        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", truncation = new { type = "disabled_with_limit" } } });
        await client.WaitForAsync("error", 30); // an unknown truncation type is refused
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", truncation = limits } });
        await client.WaitForAsync("session.updated", 30);
        await SayAsync(client, "hello again");
        await client.SendAsync(new { type = "response.create" });
        var trimmed = await client.WaitForAsync("response.done", 60);
        Assert.Equal("completed", (string?)trimmed["response"]!["status"]);
        long kept = (long)trimmed["response"]!["usage"]!["input_tokens"]!;
        Assert.True(kept < all / 4, $"input tokens {kept} were not trimmed (all: {all})");
    }

    [Fact]
    public async Task A_prompt_over_the_context_budget_fails_when_truncation_is_disabled_and_is_trimmed_when_auto()
    {
        await using var client = await ConnectAsync(fixture.Server, [], extra: new Dictionary<string, object?> { ["truncation"] = "disabled" });
        string huge = string.Join(' ', Enumerable.Repeat("lorem ipsum dolor sit amet", 6000)); // ~40k tokens: over the 32k default budget
        await SayAsync(client, huge);
        await SayAsync(client, "hello");
        await client.SendAsync(new { type = "response.create" });
        var failed = await client.WaitForAsync("response.done", 60);
        Assert.Equal("failed", (string?)failed["response"]!["status"]);
        Assert.Equal("context_length_exceeded", (string?)failed["response"]!["status_details"]!["error"]!["code"]);

        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", truncation = "auto" } });
        await client.WaitForAsync("session.updated", 30);
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
        Assert.True((long)done["response"]!["usage"]!["input_tokens"]! < 1000, "the huge turn was not dropped");
    }

    [Fact]
    public async Task Usage_reports_text_and_audio_tokens_for_a_spoken_answer()
    {
        await using var client = await ConnectAsync(fixture.Server, [], modalities: ["audio"], extra: new Dictionary<string, object?> { ["instructions"] = "Say: Hello there, how are you today?" });
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        var usage = done["response"]!["usage"]!;
        long text = (long)usage["output_token_details"]!["text_tokens"]!;
        long audio = (long)usage["output_token_details"]!["audio_tokens"]!;
        Assert.Equal(6, text); // the offline model counts words
        Assert.True(audio > 10, $"audio tokens {audio}"); // about a second of speech at 20 tokens a second
        Assert.Equal(text + audio, (long)usage["output_tokens"]!);
        Assert.Equal((long)usage["input_tokens"]! + text + audio, (long)usage["total_tokens"]!);
        Assert.True((long)usage["input_tokens"]! > 0);
    }
}

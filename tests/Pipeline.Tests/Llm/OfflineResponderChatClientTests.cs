using System.Text.Json;
using MediaServer.Pipeline.Llm.Offline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Pipeline.Tests.Llm;

public sealed class OfflineResponderChatClientTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.Zero));
    private readonly OfflineResponderChatClient _client;

    public OfflineResponderChatClientTests()
    {
        _time.SetLocalTimeZone(TimeZoneInfo.Utc);
        _client = new OfflineResponderChatClient(_time);
    }

    private static AIFunctionDeclaration Tool(string name, string schema) =>
        AIFunctionFactory.CreateDeclaration(name, "test tool", JsonDocument.Parse(schema).RootElement);

    private static readonly AIFunctionDeclaration Weather = Tool("get_weather",
        """{"type":"object","properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location","unit"]}""");

    private static readonly AIFunctionDeclaration Lights = Tool("setLightBrightness",
        """{"type":"object","properties":{"level":{"type":"integer"},"room":{"type":"string"}},"required":["level"]}""");

    private async Task<ChatResponse> Ask(string text, ChatOptions? options = null, params ChatMessage[] history) =>
        await _client.GetResponseAsync([.. history, new ChatMessage(ChatRole.User, text)], options);

    [Fact]
    public async Task Say_line_in_instructions_is_answered_exactly_with_tags()
    {
        var options = new ChatOptions { Instructions = "You are a pirate.\nSay: [laugh] Ahoy  there, matey! [whisper] psst\nBe brief." };
        var response = await Ask("what time is it", options);
        Assert.Equal("[laugh] Ahoy  there, matey! [whisper] psst", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task Say_line_in_a_system_message_works_too()
    {
        var response = await _client.GetResponseAsync([new ChatMessage(ChatRole.System, "say: Hi from the script."), new ChatMessage(ChatRole.User, "hello")]);
        Assert.Equal("Hi from the script.", response.Text);
    }

    [Theory]
    [InlineData("What time is it?", "It is 3:09 PM.")]
    [InlineData("hello there", "Hello! I am the offline responder. How can I help?")]
    [InlineData("thank you so much", "You're welcome.")]
    [InlineData("ok bye", "Goodbye!")]
    [InlineData("I like green apples.", "You said: I like green apples.")]
    [InlineData("", "Sorry, I didn't catch that.")]
    [InlineData("  ...  ", "Sorry, I didn't catch that.")]
    public async Task Small_talk_and_echo(string heard, string expected)
    {
        Assert.Equal(expected, (await Ask(heard)).Text);
    }

    [Fact]
    public async Task Says_plainly_it_is_not_a_language_model()
    {
        var text = (await Ask("who are you")).Text;
        Assert.Contains("not a language model", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_a_mentioned_tool_with_arguments_from_the_words()
    {
        var options = new ChatOptions { Tools = [Lights, Weather] };
        var response = await Ask("can you tell me the weather in London please", options);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.StartsWith("call_", call.CallId, StringComparison.Ordinal);
        Assert.Equal("London", call.Arguments!["location"]);
        Assert.Equal("celsius", call.Arguments["unit"]); // no unit said: the enum's first value
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);

        var again = await Ask("can you tell me the weather in London please", options);
        Assert.NotEqual(call.CallId, again.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single().CallId);
    }

    [Fact]
    public async Task CamelCase_names_numbers_and_enum_words_are_understood()
    {
        var lights = await Ask("set the brightness to 70", new ChatOptions { Tools = [Weather, Lights] });
        var call = lights.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        Assert.Equal("setLightBrightness", call.Name);
        Assert.Equal(70L, call.Arguments!["level"]);
        Assert.False(call.Arguments.ContainsKey("room")); // not required

        var weather = await Ask("weather for Paris in fahrenheit", new ChatOptions { Tools = [Weather] });
        var weatherCall = weather.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        Assert.Equal("fahrenheit", weatherCall.Arguments!["unit"]);
        Assert.Equal("Paris", weatherCall.Arguments["location"]); // the enum word is not part of the place
    }

    [Theory]
    [InlineData("what's the weather like in New York today?", "New York")]
    [InlineData("tell me about the forecast for Rome, please", "Rome")]
    [InlineData("weather", "weather")]
    [InlineData("look up flights to Oslo", "Oslo")]
    public void Free_text_arguments_take_the_words_after_the_last_marker(string heard, string expected)
    {
        Assert.Equal(expected, ToolCallPlanner.Subject(heard));
    }

    [Theory]
    [InlineData("get_weather", new[] { "weather" })]
    [InlineData("getCurrentWeatherForecast", new[] { "weather", "forecast" })]
    [InlineData("lookup-stock-price", new[] { "stock", "price" })]
    [InlineData("HTTPFetch", new[] { "httpfetch" })]
    public void Tool_names_split_into_meaningful_words(string name, string[] expected)
    {
        Assert.Equal(expected, ToolCallPlanner.NameWords(name));
    }

    [Fact]
    public async Task Unmentioned_tools_are_not_called_and_tool_mode_is_honoured()
    {
        var auto = await Ask("hello there", new ChatOptions { Tools = [Weather] });
        Assert.Empty(auto.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());

        var none = await Ask("what is the weather in Oslo", new ChatOptions { Tools = [Weather], ToolMode = ChatToolMode.None });
        Assert.Empty(none.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("You said: what is the weather in Oslo.", none.Text);

        var required = await Ask("hello there", new ChatOptions { Tools = [Weather, Lights], ToolMode = ChatToolMode.RequireAny });
        Assert.Equal("get_weather", required.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single().Name);

        var specific = await Ask("what is the weather in Oslo", new ChatOptions { Tools = [Weather, Lights], ToolMode = ChatToolMode.RequireSpecific("setLightBrightness") });
        Assert.Equal("setLightBrightness", specific.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single().Name);
    }

    [Fact]
    public async Task A_tool_result_is_reported_in_one_sentence()
    {
        var call = new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["location"] = "London" });
        var history = new List<ChatMessage>
        {
            new(ChatRole.User, "what is the weather in London"),
            new(ChatRole.Assistant, [call]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", """{"temperature_c":18,"sky":"cloudy"}""")]),
        };

        var response = await _client.GetResponseAsync(history, new ChatOptions { Tools = [Weather] });

        Assert.Equal("Here is what I found: weather returned temperature c 18, sky cloudy.", response.Text);
        Assert.Empty(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()); // no call loop
    }

    [Fact]
    public async Task Streams_word_by_word_with_usage_last()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in _client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "I like green apples")])) updates.Add(u);

        var texts = updates.Where(u => u.Text.Length > 0).Select(u => u.Text).ToList();
        Assert.Equal(["You", " said:", " I", " like", " green", " apples."], texts);
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        var usage = Assert.Single(last.Contents.OfType<UsageContent>()).Details;
        Assert.Equal(4, usage.InputTokenCount);
        Assert.Equal(6, usage.OutputTokenCount);
        Assert.Equal(10, usage.TotalTokenCount);
    }

    [Fact]
    public async Task Streams_a_tool_call_as_one_update()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in _client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "weather in Rome")], new ChatOptions { Tools = [Weather] }))
            updates.Add(u);

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("Rome", call.Arguments!["location"]);
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
    }

    [Fact]
    public async Task Max_output_tokens_truncates_with_finish_reason_length()
    {
        var options = new ChatOptions { MaxOutputTokens = 3 };
        var response = await Ask("I like green apples and red pears", options);
        Assert.Equal("You said: I", response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(3, response.Usage!.OutputTokenCount);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in _client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "I like green apples")], options)) updates.Add(u);
        Assert.Equal("You said: I", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Length, updates[^1].FinishReason);
    }

    [Fact]
    public async Task Cancellation_stops_the_stream()
    {
        using var cts = new CancellationTokenSource();
        var words = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in _client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "one two three four five six")], cancellationToken: cts.Token))
            {
                words++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, words);
    }

    [Fact]
    public void Reports_its_metadata()
    {
        var metadata = _client.GetService<ChatClientMetadata>();
        Assert.Equal("offline", metadata!.DefaultModelId);
        Assert.Same(_client, _client.GetService<OfflineResponderChatClient>());
    }
}

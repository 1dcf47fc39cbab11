using System.Text.Json.Nodes;
using MediaServer.Pipeline.Tests.Llm;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Providers;

/// <summary>
/// The real server process with two configured LLM providers, an OpenAI-compatible one (<c>compat</c>) and an
/// Anthropic one (<c>claude</c>), each pointed at a local server that speaks that provider's wire format.
/// </summary>
public sealed class ProviderServerFixture : IAsyncLifetime
{
    internal FakeChatCompletionsServer OpenAi { get; } = new();

    internal FakeAnthropicServer Anthropic { get; } = new();

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(
            "--MediaServer:Llm:Providers:compat:Kind=openai",
            $"--MediaServer:Llm:Providers:compat:BaseUrl={OpenAi.BaseUrl}",
            "--MediaServer:Llm:Providers:compat:ApiKey=sk-compat",
            "--MediaServer:Llm:Providers:claude:Kind=anthropic",
            $"--MediaServer:Llm:Providers:claude:BaseUrl={Anthropic.BaseUrl}",
            "--MediaServer:Llm:Providers:claude:ApiKey=sk-ant-e2e");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await OpenAi.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}

/// <summary>
/// LLM providers through the Realtime WebSocket API against the real server: a streamed answer becomes transcript
/// and audio; a provider failure (429 with retry-after, 500, 503/529, a stream cut halfway) becomes a clear
/// <c>error</c> event and a failed <c>response.done</c>, and the session answers the next request; the model can
/// change mid-session; <c>response.cancel</c> and barge-in close the provider's HTTP request.
/// </summary>
public sealed class ProviderEndToEndTests(ProviderServerFixture fixture) : IClassFixture<ProviderServerFixture>
{
    private ServerProcess Server => fixture.Server;

    private FakeLlmServer Fake(string kind) => kind == "anthropic" ? fixture.Anthropic : fixture.OpenAi;

    private static string Model(string kind) => kind == "anthropic" ? "claude/claude-e2e" : "compat/gpt-e2e";

    private static string ProviderName(string kind) => kind == "anthropic" ? "claude" : "compat";

    private async Task<RealtimeTestClient> ConnectAsync(string model, bool manualTurns = true)
    {
        var client = await RealtimeTestClient.ConnectAsync(Server, "model=" + Uri.EscapeDataString(model), subprotocols: "realtime");
        var created = await client.WaitForAsync("session.created");
        Assert.Equal(model, (string?)created["session"]!["model"]);
        if (manualTurns)
        {
            await client.SendAsync(new
            {
                type = "session.update",
                session = new { type = "realtime", output_modalities = new[] { "audio" }, audio = new { input = new { turn_detection = (object?)null } } },
            });
            await client.WaitForAsync("session.updated");
        }

        return client;
    }

    /// <summary>Adds a user text message and asks for a response.</summary>
    private static async Task StartResponseAsync(RealtimeTestClient client, string text)
    {
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } } });
        await client.SendAsync(new { type = "response.create" });
    }

    private static async Task<JsonObject> AskAsync(RealtimeTestClient client, string text, int timeoutSeconds = 60)
    {
        await StartResponseAsync(client, text);
        return await client.WaitForAsync("response.done", timeoutSeconds);
    }

    private static List<JsonObject> EventsOf(RealtimeTestClient client, string responseId, string type) =>
        client.All(type).Where(e => (string?)e["response_id"] == responseId).ToList();

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task A_streamed_answer_arrives_as_transcript_and_audio(string kind)
    {
        var fake = Fake(kind);
        fake.Scenario = FakeLlmScenario.Text;
        int before = fake.Requests.Count;
        await using var client = await ConnectAsync(Model(kind));

        var done = await AskAsync(client, "say hello");

        var response = done["response"]!;
        Assert.Equal("completed", (string?)response["status"]);
        string id = (string)response["id"]!;
        var transcript = client.All("response.output_audio_transcript.done").Single(e => (string?)e["response_id"] == id);
        Assert.Equal("Hello from the fake.", (string?)transcript["transcript"]);
        Assert.True(EventsOf(client, id, "response.output_audio_transcript.delta").Count >= 2, "the transcript should stream in pieces");
        var audio = EventsOf(client, id, "response.output_audio.delta").SelectMany(e => Convert.FromBase64String((string)e["delta"]!)).ToArray();
        Assert.True(audio.Length > 24_000, $"expected at least half a second of speech, got {audio.Length} bytes");
        Assert.True(TestSpeech.Rms(audio) > 300, "the answer audio is silent");

        var request = await fake.WaitForRequestAsync(before + 1);
        Assert.Equal(kind == "anthropic" ? "claude-e2e" : "gpt-e2e", request.Body["model"]!.GetValue<string>());
        Assert.Contains("say hello", request.Body["messages"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai", FakeLlmScenario.RateLimited, "rate_limit_exceeded", "HTTP 429")]
    [InlineData("anthropic", FakeLlmScenario.RateLimited, "rate_limit_exceeded", "HTTP 429")]
    [InlineData("openai", FakeLlmScenario.ServerError, "provider_error", "HTTP 500")]
    [InlineData("anthropic", FakeLlmScenario.ServerError, "provider_error", "HTTP 500")]
    [InlineData("openai", FakeLlmScenario.Overloaded, "provider_overloaded", "HTTP 503")]
    [InlineData("anthropic", FakeLlmScenario.Overloaded, "provider_overloaded", "HTTP 529")]
    public async Task A_provider_failure_is_a_clear_error_event_and_the_session_keeps_working(string kind, FakeLlmScenario scenario, string code, string status)
    {
        var fake = Fake(kind);
        fake.Scenario = scenario;
        await using var client = await ConnectAsync(Model(kind));

        var done = await AskAsync(client, "hello?");

        var error = (await client.WaitForAnyAsync("error"))["error"]!;
        Assert.Equal("server_error", (string?)error["type"]);
        Assert.Equal(code, (string?)error["code"]);
        string message = (string)error["message"]!;
        Assert.Contains($"LLM provider '{ProviderName(kind)}'", message, StringComparison.Ordinal);
        Assert.Contains(status, message, StringComparison.Ordinal);
        if (scenario == FakeLlmScenario.RateLimited) Assert.Contains("retry after 7 s", message, StringComparison.Ordinal);
        var response = done["response"]!;
        Assert.Equal("failed", (string?)response["status"]);
        Assert.Equal(code, (string?)response["status_details"]!["error"]!["code"]);
        Assert.Empty(client.All("response.output_audio.delta"));

        // The session lives on: the provider recovers and the next response is answered.
        fake.Scenario = FakeLlmScenario.Text;
        var next = await AskAsync(client, "and now?");
        Assert.Equal("completed", (string?)next["response"]!["status"]);
        Assert.Equal("Hello from the fake.", (string?)client.All("response.output_audio_transcript.done").Last()["transcript"]);
    }

    [Theory]
    [InlineData("openai", FakeLlmScenario.DropMidStream, "provider_stream_interrupted", "stopped in the middle of its answer")]
    [InlineData("anthropic", FakeLlmScenario.DropMidStream, "provider_stream_interrupted", "stopped in the middle of its answer")]
    [InlineData("openai", FakeLlmScenario.ErrorEvent, "provider_error", "Upstream provider returned an error")]
    [InlineData("anthropic", FakeLlmScenario.ErrorEvent, "provider_overloaded", "is overloaded: Overloaded")]
    public async Task A_stream_that_breaks_off_fails_clearly_and_keeps_the_partial_answer_in_the_conversation(string kind, FakeLlmScenario scenario, string code, string words)
    {
        var fake = Fake(kind);
        fake.Scenario = scenario;
        int before = fake.Requests.Count;
        await using var client = await ConnectAsync(Model(kind));

        var done = await AskAsync(client, "tell me something");

        var error = (await client.WaitForAnyAsync("error"))["error"]!;
        Assert.Equal(code, (string?)error["code"]);
        Assert.Contains($"LLM provider '{ProviderName(kind)}'", (string)error["message"]!, StringComparison.Ordinal);
        Assert.Contains(words, (string)error["message"]!, StringComparison.Ordinal);
        var response = done["response"]!;
        Assert.Equal("failed", (string?)response["status"]);
        var message = response["output"]!.AsArray().Single()!;
        Assert.Equal("incomplete", (string?)message["status"]);
        Assert.Equal("Hello from", (string?)message["content"]![0]!["transcript"]);

        // The next turn goes out with the partial answer as the assistant's turn, and is answered.
        fake.Scenario = FakeLlmScenario.Text;
        var next = await AskAsync(client, "go on");
        Assert.Equal("completed", (string?)next["response"]!["status"]);
        var history = (await fake.WaitForRequestAsync(before + 2)).Body["messages"]!.ToJsonString();
        Assert.Contains("Hello from", history, StringComparison.Ordinal);
        Assert.True(history.IndexOf("tell me something", StringComparison.Ordinal) < history.IndexOf("Hello from", StringComparison.Ordinal));
        Assert.True(history.IndexOf("Hello from", StringComparison.Ordinal) < history.IndexOf("go on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_model_changes_mid_session_and_the_next_response_uses_it()
    {
        fixture.OpenAi.Scenario = FakeLlmScenario.Text;
        fixture.Anthropic.Scenario = FakeLlmScenario.Text;
        fixture.Anthropic.Pieces = ["Claude", " speaking", " now."];
        try
        {
            int openAiBefore = fixture.OpenAi.Requests.Count;
            int anthropicBefore = fixture.Anthropic.Requests.Count;
            await using var client = await ConnectAsync("compat/gpt-e2e");

            Assert.Equal("completed", (string?)(await AskAsync(client, "first"))["response"]!["status"]);
            Assert.Equal(openAiBefore + 1, fixture.OpenAi.Requests.Count);
            Assert.Equal(anthropicBefore, fixture.Anthropic.Requests.Count);

            await client.SendAsync(new { type = "session.update", session = new { type = "realtime", model = "claude/claude-e2e" } });
            Assert.Equal("claude/claude-e2e", (string?)(await client.WaitForAsync("session.updated"))["session"]!["model"]);
            Assert.Equal("completed", (string?)(await AskAsync(client, "second"))["response"]!["status"]);
            Assert.Equal("Claude speaking now.", (string?)client.All("response.output_audio_transcript.done").Last()["transcript"]);
            Assert.Equal(openAiBefore + 1, fixture.OpenAi.Requests.Count);
            var request = await fixture.Anthropic.WaitForRequestAsync(anthropicBefore + 1);
            Assert.Equal("claude-e2e", request.Body["model"]!.GetValue<string>());
            // The conversation so far went with it, the first provider's answer included.
            Assert.Contains("Hello from the fake.", request.Body["messages"]!.ToJsonString(), StringComparison.Ordinal);

            // An OpenAI realtime model name maps to the configured default (the offline responder here).
            await client.SendAsync(new { type = "session.update", session = new { type = "realtime", model = "gpt-realtime" } });
            await client.WaitForAsync("session.updated");
            Assert.Equal("completed", (string?)(await AskAsync(client, "third"))["response"]!["status"]);
            Assert.Equal(openAiBefore + 1, fixture.OpenAi.Requests.Count);
            Assert.Equal(anthropicBefore + 1, fixture.Anthropic.Requests.Count);
        }
        finally
        {
            fixture.Anthropic.Pieces = ["Hello", " from", " the", " fake."];
        }
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task Response_cancel_closes_the_providers_http_request(string kind)
    {
        var fake = Fake(kind);
        fake.Scenario = FakeLlmScenario.Slow;
        int before = fake.Requests.Count;
        await using var client = await ConnectAsync(Model(kind));
        await StartResponseAsync(client, "count slowly");
        var request = await fake.WaitForRequestAsync(before + 1);
        await client.WaitForAsync("response.output_audio_transcript.delta", 30);

        await client.SendAsync(new { type = "response.cancel" });

        var done = await client.WaitForAsync("response.done", 30);
        Assert.Equal("cancelled", (string?)done["response"]!["status"]);
        Assert.True(await request.Ended.WaitAsync(TimeSpan.FromSeconds(15)), "the provider kept streaming after response.cancel");
        fake.Scenario = FakeLlmScenario.Text;
    }

    [Fact]
    public async Task Barge_in_closes_the_providers_http_request()
    {
        var fake = fixture.OpenAi;
        fake.Scenario = FakeLlmScenario.Slow;
        int before = fake.Requests.Count;
        // Server VAD on (the default): the caller's speech interrupts the agent.
        await using var client = await ConnectAsync("compat/gpt-e2e", manualTurns: false);
        await StartResponseAsync(client, "count slowly");
        var request = await fake.WaitForRequestAsync(before + 1);
        await client.WaitForAsync("response.output_audio_transcript.delta", 30);

        fake.Scenario = FakeLlmScenario.Text; // the turn the caller's speech starts gets a normal answer
        await client.AppendAudioAsync(TestSpeech.Pcm("stop counting please"));

        await client.WaitForAnyAsync("input_audio_buffer.speech_started", 30);
        var done = await client.WaitForAsync("response.done", 30);
        Assert.Equal("cancelled", (string?)done["response"]!["status"]);
        Assert.Equal("turn_detected", (string?)done["response"]!["status_details"]!["reason"]);
        Assert.True(await request.Ended.WaitAsync(TimeSpan.FromSeconds(15)), "the provider kept streaming after the barge-in");
    }

    [Fact]
    public async Task An_unknown_model_in_session_update_is_refused_naming_session_model_and_the_session_keeps_its_own()
    {
        fixture.OpenAi.Scenario = FakeLlmScenario.Text;
        await using var client = await ConnectAsync("compat/gpt-e2e");
        int updatesBefore = client.All("session.updated").Count;
        await client.SendAsync(new { type = "session.update", event_id = "evt_model", session = new { type = "realtime", model = "nowhere/llama", instructions = "changed" } });

        var error = (await client.WaitForAsync("error"))["error"]!;
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Equal("model_not_found", (string?)error["code"]);
        Assert.Equal("session.model", (string?)error["param"]);
        Assert.Equal("evt_model", (string?)error["event_id"]);
        Assert.Contains("nowhere/llama", (string)error["message"]!, StringComparison.Ordinal);

        // Refused whole: no session.updated, and the next answer still comes from the session's own model.
        var done = await AskAsync(client, "hi");
        Assert.Equal("completed", (string?)done["response"]!["status"]);
        Assert.Equal(updatesBefore, client.All("session.updated").Count);
    }

    [Fact]
    public async Task Connecting_with_an_unknown_model_says_so_at_once_and_a_session_update_recovers()
    {
        fixture.OpenAi.Scenario = FakeLlmScenario.Text;
        await using var client = await RealtimeTestClient.ConnectAsync(Server, "model=nowhere%2Fllama");
        await client.WaitForAsync("session.created");
        var error = (await client.WaitForAsync("error"))["error"]!;
        Assert.Equal("model_not_found", (string?)error["code"]);
        Assert.Equal("session.model", (string?)error["param"]);
        Assert.Contains("nowhere/llama", (string)error["message"]!, StringComparison.Ordinal);

        await client.SendAsync(new
        {
            type = "session.update",
            session = new { type = "realtime", model = "compat/gpt-e2e", output_modalities = new[] { "audio" }, audio = new { input = new { turn_detection = (object?)null } } },
        });
        Assert.Equal("compat/gpt-e2e", (string?)(await client.WaitForAsync("session.updated"))["session"]!["model"]);
        Assert.Equal("completed", (string?)(await AskAsync(client, "hi again"))["response"]!["status"]);
    }
}

using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Providers;

/// <summary>The real server with a <c>llamasharp</c> provider on the shared stories260K GGUF as its default model.</summary>
public sealed class LlamaSharpServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(
            "--MediaServer:Llm:DefaultModel=local/stories260k",
            "--MediaServer:Llm:Providers:local:Kind=llamasharp",
            $"--MediaServer:Llm:Providers:local:ModelPath={Path.Combine(TestPaths.SharedModels, "stories260k", "stories260K.gguf")}",
            "--MediaServer:Llm:Providers:local:MaxOutputTokens=48");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// A local GGUF model answering through the Realtime API: llama.cpp's native library loads in the server process
/// (copied beside it by the build) and a <c>gpt-realtime</c> session, which maps to the configured default, gets a
/// streamed answer with audio. stories260K writes children's stories, so the words are not asserted.
/// </summary>
public sealed class LlamaSharpEndToEndTests(LlamaSharpServerFixture fixture) : IClassFixture<LlamaSharpServerFixture>
{
    [Fact]
    public async Task A_realtime_session_gets_a_streamed_spoken_answer_from_the_local_model()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.Server, subprotocols: "realtime");
        await client.WaitForAsync("session.created");
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input = new { turn_detection = (object?)null } } } });
        await client.WaitForAsync("session.updated");
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "Once upon a time" } } } });
        await client.SendAsync(new { type = "response.create" });

        var done = await client.WaitForAsync("response.done", 120);

        Assert.True((string?)done["response"]!["status"] is "completed" or "incomplete", done.ToJsonString());
        Assert.True(client.All("response.output_audio_transcript.delta").Count >= 3, "the local model's tokens should stream");
        Assert.Empty(client.All("error"));
        var transcript = (string?)client.All("response.output_audio_transcript.done").Single()["transcript"];
        Assert.False(string.IsNullOrWhiteSpace(transcript));
        Assert.True(done["response"]!["usage"]!["output_token_details"]!["text_tokens"]!.GetValue<int>() is > 0 and <= 48);
        Assert.Contains("LLamaSharp loaded", fixture.Server.Output, StringComparison.Ordinal);
    }
}

using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Cloud;

/// <summary>The real server process with Whisper.net as its recogniser, chosen by configuration.</summary>
public sealed class WhisperEngineFixture : IAsyncLifetime
{
    public static string TestModel => Path.Combine(MediaServer.TestSupport.TestPaths.SharedModels, "whisper-for-tests", "for-tests-ggml-tiny.en.bin");

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAsync("--MediaServer:Stt:Engine=whisper", $"--MediaServer:Stt:Whisper:ModelPath={TestModel}");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// A committed turn on a Whisper-configured server is recognised by Whisper (the test model has no trained weights,
/// so the words are not checked; that the turn completes through the native runtime inside the server is).
/// </summary>
public sealed class WhisperEngineEndToEndTests(WhisperEngineFixture fixture) : IClassFixture<WhisperEngineFixture>
{
    [Fact]
    public async Task A_committed_turn_is_transcribed_by_whisper_inside_the_server()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.Server);
        await client.WaitForAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new { type = "realtime", audio = new { input = new { turn_detection = (object?)null, transcription = new { model = "whisper" } } } },
        });
        var updated = await client.WaitForAsync("session.updated");
        Assert.Equal("whisper", (string?)updated["session"]!["audio"]!["input"]!["transcription"]!["model"]);

        await client.AppendAudioAsync(TestSpeech.Pcm("good morning", leadSeconds: 0.2, tailSeconds: 0.3));
        await client.SendAsync(new { type = "input_audio_buffer.commit" });

        var completed = await client.WaitForAsync("conversation.item.input_audio_transcription.completed", 120);
        Assert.NotNull((string?)completed["transcript"]);
        Assert.Empty(client.All("conversation.item.input_audio_transcription.failed"));
    }
}

using MediaServer.Pipeline.Stt;

namespace MediaServer.Pipeline.Tests.Stt;

public sealed class SpeechToTextRegistryTests
{
    private sealed class Named(string name) : ISpeechToText
    {
        public string Name => name;

        public ISpeechRecognitionStream StartUtterance(TranscriptionRequest request) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("whisper-1")]
    [InlineData("gpt-4o-transcribe")]
    [InlineData("gpt-4o-mini-transcribe-2025-03-20")]
    [InlineData("POCKETSPHINX")]
    public void OpenAI_names_and_the_engine_name_resolve_to_the_default(string? model)
    {
        var engine = new Named("pocketsphinx");
        var registry = new SpeechToTextRegistry(engine);
        Assert.True(registry.TryResolve(model, out var resolved));
        Assert.Same(engine, resolved);
    }

    [Fact]
    public void Other_engines_by_name_and_unknown_names_refused()
    {
        var other = new Named("whisper.net");
        var registry = new SpeechToTextRegistry(new Named("pocketsphinx"), [other]);
        Assert.True(registry.TryResolve("whisper.net", out var resolved));
        Assert.Same(other, resolved); // its own name wins over the whisper* alias
        Assert.True(registry.TryResolve("whisper-1", out var alias));
        Assert.Same(registry.Default, alias);
        Assert.False(registry.TryResolve("deepgram-nova", out _));
        Assert.Contains("whisper.net", registry.Names);
    }
}

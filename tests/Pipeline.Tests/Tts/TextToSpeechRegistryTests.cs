using MediaServer.Pipeline.Tests.Stt;
using MediaServer.Pipeline.Tts;

namespace MediaServer.Pipeline.Tests.Tts;

[Collection(MediaServer.Pipeline.Tests.Tts.NativeSpeechCollection.Name)]
public sealed class TextToSpeechRegistryTests
{
    [Fact]
    public void Defaults_to_flite_at_16kHz()
    {
        var registry = new TextToSpeechRegistry();
        Assert.Same(registry.Flite, registry.Default);
        Assert.Equal("flite", registry.Name);
        Assert.Equal(16_000, registry.SampleRate);
        Assert.Same(registry.Flite, registry.Select(new SpeechRequest("hi", "alloy")));
    }

    [Fact]
    public void Espeak_ng_is_selectable_by_option()
    {
        var registry = new TextToSpeechRegistry(new TextToSpeechOptions { Engine = "espeak-ng" });
        Assert.Same(registry.EspeakNg, registry.Default);
        Assert.Equal(22_050, registry.SampleRate);
        Assert.Same(registry.EspeakNg, registry.Select(new SpeechRequest("hi", "alloy", Style: new SpeechStyle(Whisper: true))));
    }

    [Fact]
    public void Unknown_engine_is_refused_at_construction()
    {
        var error = Assert.Throws<ArgumentException>(() => new TextToSpeechRegistry(new TextToSpeechOptions { Engine = "sam" }));
        Assert.Contains("sam", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_whisper_on_flite_is_rendered_by_espeak_ng_and_resampled_to_16kHz()
    {
        var registry = new TextToSpeechRegistry();
        var request = new SpeechRequest("hello there how are you", "alloy", Style: new SpeechStyle(Whisper: true));
        Assert.Same(registry.EspeakNg, registry.Select(request));

        var (direct, _) = await TtsTestHelpers.CollectAsync(registry.EspeakNg, request);
        var (routed, _) = await TtsTestHelpers.CollectAsync(registry, request);

        Assert.InRange(routed.Length, direct.Length * 16_000 / 22_050 - 200, direct.Length * 16_000 / 22_050 + 200);
        Assert.True(TestSpeech.Rms(routed) > 500);
    }

    [Fact]
    public void Whisper_routing_can_be_turned_off()
    {
        var registry = new TextToSpeechRegistry(new TextToSpeechOptions { WhisperWithEspeakNg = false });
        Assert.Same(registry.Flite, registry.Select(new SpeechRequest("hi", "alloy", Style: new SpeechStyle(Whisper: true))));
    }
}

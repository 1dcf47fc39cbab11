using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Stt.WhisperNet;
using MediaServer.Pipeline.Tests.Audio;

namespace MediaServer.Pipeline.Tests.Stt;

/// <summary>
/// Whisper.net in process. The only Whisper model here (<c>../shared/models/whisper-for-tests</c>) has a vocabulary
/// and no trained weights, so these tests pin loading and plumbing (the native runtime loads, a turn's audio goes
/// through a processor and comes back as text, turns queue for a slot, bad settings are named), never words.
/// </summary>
public sealed class WhisperNetSpeechToTextTests
{
    private static string TestModel => Path.Combine(TestAudio.SharedModels, "whisper-for-tests", "for-tests-ggml-tiny.en.bin");

    [Fact]
    public async Task A_turn_goes_through_the_native_runtime_and_comes_back_as_text()
    {
        using var engine = new WhisperNetSpeechToText(new WhisperNetOptions { ModelPath = TestModel, Threads = 1 });
        Assert.Equal("whisper", engine.Name);
        using var stream = engine.StartUtterance(new TranscriptionRequest(null, "en", "Kowalski"));
        var jfk = TestAudio.Jfk16k();
        stream.Write(jfk.AsSpan(0, 16_000));
        stream.Write(jfk.AsSpan(16_000, 16_000));
        Assert.Equal(string.Empty, stream.Partial);

        string text = await stream.CompleteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.NotNull(text);
        Assert.Equal(text.Trim(), text);
    }

    [Fact]
    public async Task An_empty_turn_is_empty_without_running_the_model()
    {
        using var engine = new WhisperNetSpeechToText(new WhisperNetOptions { ModelPath = TestModel });
        using var stream = engine.StartUtterance(new TranscriptionRequest(null, null, null));
        Assert.Equal(string.Empty, await stream.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Turns_beyond_the_concurrency_wait_for_a_slot_and_all_complete()
    {
        using var engine = new WhisperNetSpeechToText(new WhisperNetOptions { ModelPath = TestModel, Threads = 1, MaxConcurrent = 1 });
        var jfk = TestAudio.Jfk16k();
        var streams = Enumerable.Range(0, 3).Select(_ => engine.StartUtterance(new TranscriptionRequest(null, null, null))).ToList();
        foreach (var s in streams) s.Write(jfk.AsSpan(0, 8_000));

        var texts = await Task.WhenAll(streams.Select(s => s.CompleteAsync(CancellationToken.None))).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(3, texts.Length);
        foreach (var s in streams) s.Dispose();
    }

    [Fact]
    public void A_missing_model_path_is_refused_naming_the_setting()
    {
        var unset = Assert.Throws<ArgumentException>(() => new WhisperNetSpeechToText(new WhisperNetOptions()));
        Assert.Contains("MediaServer:Stt:Whisper:ModelPath", unset.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<FileNotFoundException>(() => new WhisperNetSpeechToText(new WhisperNetOptions { ModelPath = "/nonexistent/ggml.bin" }));
        Assert.Contains("/nonexistent/ggml.bin", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_utterance_buffer_keeps_the_first_max_samples_and_drops_the_rest()
    {
        using var buffer = new UtteranceBuffer(100_000);
        var ramp = Enumerable.Range(0, 150_000).Select(i => (short)(i % 30_000)).ToArray();
        for (int at = 0; at < ramp.Length; at += 7_000) buffer.Append(ramp.AsSpan(at, Math.Min(7_000, ramp.Length - at)));
        Assert.Equal(100_000, buffer.Count);
        Assert.True(buffer.Samples.SequenceEqual(ramp.AsSpan(0, 100_000)));
    }
}

using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Stt.Pocketsphinx;

namespace MediaServer.Pipeline.Tests.Stt;

/// <summary>
/// Recognises speech made by flite's slt voice (which pocketsphinx's US English model recognises almost word for
/// word, MODELS.md), fed in 20 ms frames as the pipeline does. One engine is shared by the class: building a
/// decoder loads a 30 MB language model.
/// </summary>
[Collection(MediaServer.Pipeline.Tests.Tts.NativeSpeechCollection.Name)]
public sealed class PocketsphinxSpeechToTextTests(PocketsphinxSpeechToTextTests.EngineFixture fixture)
    : IClassFixture<PocketsphinxSpeechToTextTests.EngineFixture>
{
    public sealed class EngineFixture : IDisposable
    {
        public PocketsphinxSpeechToText Engine { get; } = new(new PocketsphinxOptions { PoolSize = 2 });

        public void Dispose() => Engine.Dispose();
    }

    private static readonly TranscriptionRequest Request = new("pocketsphinx", "en", null);

    [Theory]
    [InlineData("what time is it")]
    [InlineData("can you tell me the weather in london")]
    public async Task Recognises_flite_speech_fed_in_20ms_frames(string sentence)
    {
        var pcm = WithSilence(TestSpeech.Flite(sentence));
        using var stream = fixture.Engine.StartUtterance(Request);
        Feed(stream, pcm);

        var text = await stream.CompleteAsync(CancellationToken.None);

        Assert.Equal(sentence, string.Join(' ', TestSpeech.Words(text)));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(100, 1.0)]
    [InlineData(1000, 1.0)]
    [InlineData(300, 0.1)]
    [InlineData(300, 1.4)]
    public async Task Recognises_tightly_cut_or_loosely_padded_utterances_at_any_level(int paddingMs, double gain)
    {
        // A VAD may cut right at the speech or keep a second of silence around it; microphones differ in level.
        var speech = TestSpeech.Flite("can you tell me the weather in london")
            .Select(s => (short)Math.Clamp(s * gain, short.MinValue, short.MaxValue)).ToArray();
        var pad = paddingMs * 16;
        var pcm = new short[speech.Length + 2 * pad];
        speech.CopyTo(pcm, pad);
        // A fresh decoder: a shared one's channel normalisation depends on what other tests fed it before.
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1 });
        using var stream = engine.StartUtterance(Request);
        Feed(stream, pcm);

        Assert.Equal("can you tell me the weather in london", await stream.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Partial_hypothesis_grows_while_audio_streams_in()
    {
        var pcm = WithSilence(TestSpeech.Flite("can you tell me the weather in london"));
        using var stream = fixture.Engine.StartUtterance(Request);
        var partials = new List<string>();
        for (var i = 0; i + AudioConstants.PipelineFrameSamples <= pcm.Length; i += AudioConstants.PipelineFrameSamples)
        {
            stream.Write(pcm.AsSpan(i, AudioConstants.PipelineFrameSamples));
            // Decoding runs on the thread pool; catch up here so what the test sees does not depend on timing.
            ((PocketsphinxRecognitionStream)stream).DecodePending();
            if (partials.Count == 0 || partials[^1] != stream.Partial) partials.Add(stream.Partial);
        }

        var final = await stream.CompleteAsync(CancellationToken.None);

        var nonEmpty = partials.Where(p => p.Length > 0).ToList();
        Assert.True(nonEmpty.Count >= 2, $"expected several partial updates, saw {nonEmpty.Count}");
        Assert.True(TestSpeech.Words(nonEmpty[0]).Length < TestSpeech.Words(final).Length, "the first partial should hold fewer words than the final");
        Assert.Contains("weather", final, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decoders_are_reused_across_sequential_utterances()
    {
        var pcm = WithSilence(TestSpeech.Flite("what time is it"));
        string? first = null;
        for (var round = 0; round < 3; round++)
        {
            using var stream = fixture.Engine.StartUtterance(Request);
            Feed(stream, pcm);
            var text = await stream.CompleteAsync(CancellationToken.None);
            first ??= text;
            Assert.Equal(first, text); // a reused decoder carries nothing over from the last utterance
        }

        // Other tests in this class may run at the same time, but never more than the pool holds plus them.
        Assert.True(fixture.Engine.DecodersCreated <= 3, $"built {fixture.Engine.DecodersCreated} decoders for sequential use");
    }

    [Fact]
    public async Task Concurrent_utterances_get_their_own_decoders()
    {
        var time = WithSilence(TestSpeech.Flite("what time is it"));
        var weather = WithSilence(TestSpeech.Flite("can you tell me the weather in london"));
        using var a = fixture.Engine.StartUtterance(Request);
        using var b = fixture.Engine.StartUtterance(Request);
        // Interleave frames of two utterances, as two sessions would.
        var frame = AudioConstants.PipelineFrameSamples;
        for (var i = 0; i < Math.Max(time.Length, weather.Length); i += frame)
        {
            if (i < time.Length) a.Write(time.AsSpan(i, Math.Min(frame, time.Length - i)));
            if (i < weather.Length) b.Write(weather.AsSpan(i, Math.Min(frame, weather.Length - i)));
        }

        Assert.Equal("what time is it", await a.CompleteAsync(CancellationToken.None));
        Assert.Equal("can you tell me the weather in london", await b.CompleteAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(123)] // odd pieces wrap the ring buffer at every position
    [InlineData(160_000)] // everything at once: the ring grows
    public async Task Any_write_size_gives_the_same_transcript(int piece)
    {
        var pcm = WithSilence(TestSpeech.Flite("can you tell me the weather in london"));
        using var stream = fixture.Engine.StartUtterance(Request);
        for (var i = 0; i < pcm.Length; i += piece) stream.Write(pcm.AsSpan(i, Math.Min(piece, pcm.Length - i)));

        Assert.Equal("can you tell me the weather in london", await stream.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Writing_frames_allocates_nothing_on_the_callers_thread()
    {
        var pcm = TestSpeech.Flite("can you tell me the weather in london");
        using var stream = fixture.Engine.StartUtterance(Request);
        var frame = AudioConstants.PipelineFrameSamples;
        // Warm up: the test writes far faster than real time, so the ring first grows (pooled) to hold the backlog.
        for (var i = 0; i + frame <= pcm.Length; i += frame) stream.Write(pcm.AsSpan(i, frame));
        ((PocketsphinxRecognitionStream)stream).DecodePending();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i + frame <= pcm.Length; i += frame) stream.Write(pcm.AsSpan(i, frame));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Contains("weather", await stream.CompleteAsync(CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Real_human_speech_is_recognised_once_the_decoder_has_adapted_to_the_channel()
    {
        // jfk.wav: 11 s of a 1961 recording, 16 kHz. Live cepstral mean normalisation starts from the model's
        // defaults and adapts at the end of each utterance, so the first pass on a fresh decoder gets only a few
        // words and the next one nearly all (MODELS.md: "about half the words" overall).
        var (rate, pcm) = TestSpeech.ReadWav(File.ReadAllBytes(Path.Combine(MediaServer.Pipeline.Tests.Audio.TestAudio.SharedModels, "jfk-wav", "jfk.wav")));
        Assert.Equal(16_000, rate);
        // The full final pass: real speech needs the second search (the first pass alone gets fewer words, README).
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1, FinalPass = PocketsphinxFinalPass.Full });
        var transcripts = new List<string>();
        for (var round = 0; round < 2; round++)
        {
            using var stream = engine.StartUtterance(Request);
            Feed(stream, pcm);
            transcripts.Add(await stream.CompleteAsync(CancellationToken.None));
        }

        Assert.Contains("your country", transcripts[0], StringComparison.Ordinal);
        Assert.Contains("fellow american", transcripts[1], StringComparison.Ordinal);
        Assert.Contains("what your country can do for you", transcripts[1], StringComparison.Ordinal);
        Assert.Equal(1, engine.DecodersCreated);
    }

    [Theory]
    [InlineData(PocketsphinxFinalPass.None)]
    [InlineData(PocketsphinxFinalPass.Lattice)]
    [InlineData(PocketsphinxFinalPass.Full)]
    public async Task Every_final_pass_recognises_flite_speech(PocketsphinxFinalPass pass)
    {
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1, FinalPass = pass });
        using var stream = engine.StartUtterance(Request);
        Feed(stream, WithSilence(TestSpeech.Flite("can you tell me the weather in london")));
        Assert.Equal("can you tell me the weather in london", await stream.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_final_pass_the_transcript_is_the_first_pass_hypothesis()
    {
        // So the turn end only decodes the audio not yet decoded (under 100 ms) and ends the utterance. The partial is
        // refreshed on every 100 ms decoded, so once everything is decoded it is the first pass's whole hypothesis.
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1, PartialEveryFrames = 1, FinalPass = PocketsphinxFinalPass.None });
        using var stream = engine.StartUtterance(Request);
        Feed(stream, WithSilence(TestSpeech.Flite("please tell me a short joke")));
        ((PocketsphinxRecognitionStream)stream).DecodePending();
        var partial = stream.Partial.Trim();
        Assert.NotEmpty(partial);
        Assert.Equal(partial, await stream.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public void An_unknown_final_pass_fails_at_construction()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PocketsphinxSpeechToText(new PocketsphinxOptions { FinalPass = (PocketsphinxFinalPass)7 }));
        Assert.Equal(nameof(PocketsphinxOptions.FinalPass), error.ParamName);
    }

    [Fact]
    public async Task Extra_arguments_reach_the_decoder()
    {
        using var bad = new PocketsphinxSpeechToText(new PocketsphinxOptions { ExtraArguments = { ["-nosuchflag"] = "1" } });
        Assert.Throws<InvalidOperationException>(bad.WarmUp);
        using var stream = bad.StartUtterance(Request); // the background build fails: the utterance reports it
        stream.Write(new short[3200]);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => stream.CompleteAsync(CancellationToken.None));
        Assert.NotNull(error.InnerException);

        using var fast = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1, ExtraArguments = { ["-maxhmmpf"] = "3000" } });
        using var ok = fast.StartUtterance(Request);
        Feed(ok, WithSilence(TestSpeech.Flite("what time is it")));
        Assert.Equal("what time is it", await ok.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Silence_gives_an_empty_transcript()
    {
        // Its own decoder: digital silence would pull a shared decoder's channel normalisation off for later tests.
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1 });
        using var stream = engine.StartUtterance(Request);
        Feed(stream, new short[16_000]);
        Assert.Equal(string.Empty, await stream.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_completed_stream_refuses_more_audio_and_a_disposed_one_returns_its_decoder()
    {
        var stream = fixture.Engine.StartUtterance(Request);
        Feed(stream, new short[3200]);
        await stream.CompleteAsync(CancellationToken.None);
        Assert.Throws<ObjectDisposedException>(() => stream.Write(new short[320]));
        stream.Dispose();

        // Disposing without completing ends the native utterance, so the decoder is usable by the next one.
        var abandoned = fixture.Engine.StartUtterance(Request);
        Feed(abandoned, new short[3200]);
        abandoned.Dispose();
        using var next = fixture.Engine.StartUtterance(Request);
        Feed(next, WithSilence(TestSpeech.Flite("what time is it")));
        Assert.Equal("what time is it", await next.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public void Missing_model_fails_at_construction_with_the_path()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new PocketsphinxSpeechToText(new PocketsphinxOptions { ModelDirectory = "/nonexistent/model" }));
        Assert.Contains("/nonexistent/model", error.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => new PocketsphinxSpeechToText(new PocketsphinxOptions { Dictionary = "/nonexistent.dict" }));
    }

    [Fact]
    public async Task A_cold_engine_builds_its_decoder_in_the_background_and_then_reuses_it()
    {
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1 });
        var pcm = WithSilence(TestSpeech.Flite("what time is it"));
        for (var round = 0; round < 2; round++)
        {
            using var stream = engine.StartUtterance(Request); // returns at once, even with no decoder built yet
            Feed(stream, pcm);
            Assert.Equal("what time is it", await stream.CompleteAsync(CancellationToken.None));
        }

        Assert.Equal(1, engine.DecodersCreated);
    }

    [Fact]
    public async Task Disposing_before_the_decoder_is_built_neither_waits_nor_leaks()
    {
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 2 });
        for (var i = 0; i < 5; i++)
        {
            var stream = engine.StartUtterance(Request);
            stream.Write(new short[3200]);
            stream.Dispose(); // a background build may be running: this must not wait for it
            Assert.Throws<ObjectDisposedException>(() => stream.Write(new short[320]));
        }

        // Every decoder that was built (a build already under way finishes) ends up back in the pool. The time
        // limit only guards against a hang.
        Assert.True(SpinWait.SpinUntil(() => engine.DecodersCreated == engine.IdleDecoders, TimeSpan.FromSeconds(60)),
            $"built {engine.DecodersCreated}, idle {engine.IdleDecoders}");
        using var next = engine.StartUtterance(Request);
        Feed(next, WithSilence(TestSpeech.Flite("what time is it")));
        Assert.Equal("what time is it", await next.CompleteAsync(CancellationToken.None));
    }

    private static void Feed(ISpeechRecognitionStream stream, short[] pcm)
    {
        var frame = AudioConstants.PipelineFrameSamples;
        for (var i = 0; i < pcm.Length; i += frame) stream.Write(pcm.AsSpan(i, Math.Min(frame, pcm.Length - i)));
    }

    /// <summary>Pads 300 ms of silence on each side, as a VAD-cut utterance carries prefix padding and hangover.</summary>
    private static short[] WithSilence(short[] speech)
    {
        var padded = new short[speech.Length + 9600];
        speech.CopyTo(padded, 4800);
        return padded;
    }
}

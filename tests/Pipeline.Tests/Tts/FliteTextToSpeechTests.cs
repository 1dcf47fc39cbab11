using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Stt.Pocketsphinx;
using MediaServer.Pipeline.Tests.Stt;
using MediaServer.Pipeline.Tts;
using MediaServer.Pipeline.Tts.Flite;

namespace MediaServer.Pipeline.Tests.Tts;

[Collection(MediaServer.Pipeline.Tests.Tts.NativeSpeechCollection.Name)]
public sealed class FliteTextToSpeechTests
{
    private readonly FliteTextToSpeech _engine = new();

    [Fact]
    public async Task Speaks_audible_16kHz_pcm_of_plausible_length()
    {
        var (pcm, _) = await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("what time is it", "alloy"));

        Assert.Equal(16_000, _engine.SampleRate);
        var seconds = pcm.Length / 16_000.0;
        Assert.InRange(seconds, 0.5, 3.0);
        Assert.True(TestSpeech.Rms(pcm) > 1000, $"RMS {TestSpeech.Rms(pcm):F0} is near silence");
    }

    [Fact]
    public async Task Streams_one_chunk_per_sentence_in_order()
    {
        var request = new SpeechRequest("Hello there. It is sunny today. Goodbye.", "alloy");
        var chunks = new List<short[]>();
        await foreach (var chunk in _engine.SynthesizeAsync(request, CancellationToken.None)) chunks.Add(chunk.ToArray());
        var (first, _) = await TtsTestHelpers.CollectAsync(_engine, request with { Text = "Hello there." });
        var (last, _) = await TtsTestHelpers.CollectAsync(_engine, request with { Text = "Goodbye." });

        Assert.Equal(3, chunks.Count);
        Assert.Equal(first, chunks[0]);
        Assert.Equal(last, chunks[2]);
    }

    [Fact]
    public async Task Renders_the_same_samples_as_the_flite_command_line()
    {
        // Reseeding rand() per sentence (NativeSynthesisGate) makes in-process speech match `flite -voice slt`.
        var (pcm, _) = await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("what time is it", "slt"));
        Assert.Equal(TestSpeech.Flite("what time is it"), pcm);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.5)]
    [InlineData(0.25)]
    public async Task Duration_scales_with_speed(double speed)
    {
        var normal = (await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("can you tell me the weather in london", "alloy"))).Pcm.Length;
        var scaled = (await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("can you tell me the weather in london", "alloy", speed))).Pcm.Length;

        var ratio = (double)scaled / normal;
        Assert.InRange(ratio, 0.8 / speed, 1.2 / speed);
    }

    [Fact]
    public async Task Volume_and_pitch_styles_change_the_audio()
    {
        var neutral = (await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("hello there how are you", "alloy"))).Pcm;
        var quiet = (await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("hello there how are you", "alloy", Style: new SpeechStyle(VolumeFactor: 0.5)))).Pcm;
        var high = (await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("hello there how are you", "alloy", Style: new SpeechStyle(PitchFactor: 1.5)))).Pcm;
        var neutralAgain = (await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("hello there how are you", "alloy"))).Pcm;

        Assert.InRange(TestSpeech.Rms(quiet) / TestSpeech.Rms(neutral), 0.45, 0.55);
        Assert.True(TtsTestHelpers.ZeroCrossingRate(high) > TtsTestHelpers.ZeroCrossingRate(neutral) * 1.1,
            $"pitch 1.5 zero crossings {TtsTestHelpers.ZeroCrossingRate(high):F3} vs {TtsTestHelpers.ZeroCrossingRate(neutral):F3}");
        Assert.Equal(neutral, neutralAgain); // a style does not leak into later requests on the shared voice
    }

    [Theory]
    [InlineData("alloy", "slt")]
    [InlineData("marin", "slt")]
    [InlineData("echo", "rms")]
    [InlineData("cedar", "rms")]
    [InlineData("ballad", "awb")]
    [InlineData("verse", "kal")]
    [InlineData("RMS", "rms")]
    [InlineData("no-such-voice", "slt")]
    [InlineData("", "slt")]
    public void Maps_openai_voice_names_deterministically(string voice, string expected)
    {
        Assert.Equal(expected, _engine.ResolveVoice(voice));
    }

    [Theory]
    [InlineData("echo", "rms")]
    [InlineData("awb", "awb")]
    [InlineData("nonsense", "slt")]
    public void The_default_voice_may_be_an_openai_or_flite_name(string configured, string expected)
    {
        var engine = new FliteTextToSpeech(new FliteOptions { DefaultVoice = configured });
        Assert.Equal(expected, engine.ResolveVoice("unknown-voice"));
    }

    [Fact]
    public async Task Every_voice_speaks_and_voices_differ()
    {
        var rendered = new Dictionary<string, short[]>();
        foreach (var voice in new[] { "slt", "rms", "awb", "kal" })
        {
            var (pcm, _) = await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("good morning", voice));
            Assert.True(TestSpeech.Rms(pcm) > 500, $"{voice} RMS {TestSpeech.Rms(pcm):F0}");
            rendered[voice] = pcm;
        }

        Assert.Equal(4, rendered.Values.Select(p => p.Length).Distinct().Count());
    }

    [Fact]
    public async Task Cancellation_stops_the_stream_after_the_first_sentence()
    {
        var text = string.Join(' ', Enumerable.Range(1, 30).Select(i => $"This is sentence number {i}."));
        using var cts = new CancellationTokenSource();
        var chunks = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in _engine.SynthesizeAsync(new SpeechRequest(text, "alloy"), cts.Token))
            {
                chunks++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, chunks);
    }

    [Fact]
    public async Task A_cancelled_token_yields_nothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TtsTestHelpers.CollectAsync(_engine, new SpeechRequest("hello", "alloy"), cts.Token));
    }

    [Fact]
    public async Task Concurrent_requests_render_the_same_audio_as_one_at_a_time()
    {
        var slow = new SpeechRequest("one two three four five", "alloy", 0.5);
        var fast = new SpeechRequest("one two three four five", "echo", 1.5);
        var expectedSlow = (await TtsTestHelpers.CollectAsync(_engine, slow)).Pcm;
        var expectedFast = (await TtsTestHelpers.CollectAsync(_engine, fast)).Pcm;

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => TtsTestHelpers.CollectAsync(_engine, i % 2 == 0 ? slow : fast)));

        // Settings of one request never bleed into another running at the same time.
        for (var i = 0; i < results.Length; i++) Assert.Equal(i % 2 == 0 ? expectedSlow : expectedFast, results[i].Pcm);
    }

    [Theory]
    [InlineData("what time is it")]
    [InlineData("can you tell me the weather in london")]
    public async Task Round_trip_through_24kHz_and_pocketsphinx_gives_the_same_words(string sentence)
    {
        var (pcm, _) = await TtsTestHelpers.CollectAsync(_engine, new SpeechRequest(sentence, "alloy"));
        // As on the Realtime wire: the engine's 16 kHz goes out at 24 kHz and comes back down to 16 kHz for STT.
        var wire = Convert(pcm, 16_000, 24_000);
        var back = Convert(wire, 24_000, 16_000);

        using var stt = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1 });
        using var stream = stt.StartUtterance(new TranscriptionRequest(null, "en", null));
        var padded = new short[back.Length + 9600];
        back.CopyTo(padded, 4800);
        for (var i = 0; i < padded.Length; i += AudioConstants.PipelineFrameSamples)
            stream.Write(padded.AsSpan(i, Math.Min(AudioConstants.PipelineFrameSamples, padded.Length - i)));

        Assert.Equal(sentence, await stream.CompleteAsync(CancellationToken.None));
    }

    private static short[] Convert(short[] pcm, int from, int to)
    {
        var resampler = Resampler.Create(from, to);
        var output = new List<short>();
        var frame = AudioConstants.SamplesPerFrame(from);
        var buffer = new short[resampler.MaxOutputSamples(frame)];
        for (var i = 0; i < pcm.Length; i += frame)
        {
            var n = resampler.Process(pcm.AsSpan(i, Math.Min(frame, pcm.Length - i)), buffer);
            output.AddRange(buffer.AsSpan(0, n));
        }

        return output.ToArray();
    }
}

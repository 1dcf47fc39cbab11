using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Stt.Pocketsphinx;

namespace MediaServer.Pipeline.Tests.Stt;

/// <summary>
/// The soak of issue #10 grew to 6.8 GB and 400 threads because every overlapping utterance built its own decoder
/// and held a pool thread. These pin the bound: no more than <see cref="PocketsphinxOptions.MaxDecoders"/> decoders
/// exist, utterances beyond wait (without a thread) and are still recognised, and an utterance that may not wait is
/// refused with an error instead of queued.
/// </summary>
[Collection(MediaServer.Pipeline.Tests.Tts.NativeSpeechCollection.Name)]
public sealed class PocketsphinxDecoderLimitTests
{
    private static readonly TranscriptionRequest Request = new("pocketsphinx", "en", null);

    [Fact]
    public async Task Utterances_beyond_the_limit_wait_for_a_decoder_and_are_all_recognised()
    {
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1, MaxDecoders = 2, DecoderWaitSeconds = 600 });
        var pcm = Padded(TestSpeech.Flite("what time is it"));
        var streams = Enumerable.Range(0, 6).Select(i => engine.StartUtterance(Request with { Affinity = $"call-{i}" })).ToList();
        foreach (var stream in streams) Feed(stream, pcm);

        var texts = await Task.WhenAll(streams.Select(s => s.CompleteAsync(CancellationToken.None)));
        foreach (var stream in streams) stream.Dispose();

        // Every queued utterance was decoded (the last word can differ with how the audio was cut into chunks:
        // live channel normalisation updates per chunk, and the default has no final pass to smooth it).
        Assert.All(texts, t => Assert.StartsWith("what time is", t));
        Assert.True(engine.PeakDecoders <= 2, $"{engine.PeakDecoders} decoders existed at once");
        Assert.True(engine.DecodersCreated <= 2, $"built {engine.DecodersCreated}");
        Assert.Equal(0, engine.ShedUtterances);
    }

    [Fact]
    public async Task An_utterance_that_may_not_wait_is_refused_and_the_next_one_reuses_the_decoder()
    {
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1, MaxDecoders = 1, DecoderWaitSeconds = 0, WarmUpDecoders = 1 });
        engine.WarmUp();
        var pcm = Padded(TestSpeech.Flite("what time is it"));
        using var first = engine.StartUtterance(Request);
        using var refused = engine.StartUtterance(Request);
        Feed(first, pcm);
        Feed(refused, pcm);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => refused.CompleteAsync(CancellationToken.None));
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.StartsWith("what time is", await first.CompleteAsync(CancellationToken.None));

        using var next = engine.StartUtterance(Request);
        Feed(next, pcm);
        Assert.StartsWith("what time is", await next.CompleteAsync(CancellationToken.None));
        Assert.Equal(1, engine.DecodersCreated);
        Assert.Equal(1, engine.ShedUtterances);
    }

    [Fact]
    public async Task Disposing_an_utterance_mid_decode_gives_its_decoder_to_the_one_waiting()
    {
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1, MaxDecoders = 1, DecoderWaitSeconds = 600, WarmUpDecoders = 1 });
        engine.WarmUp();
        var pcm = Padded(TestSpeech.Flite("what time is it"));
        var abandoned = engine.StartUtterance(Request);
        using var waiting = engine.StartUtterance(Request);
        Feed(abandoned, pcm);
        Feed(waiting, pcm);

        abandoned.Dispose(); // a call ending mid-utterance: must not wait for its decode, and frees the decoder

        Assert.StartsWith("what time", await waiting.CompleteAsync(CancellationToken.None));
        Assert.Equal(1, engine.DecodersCreated);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => abandoned.CompleteAsync(CancellationToken.None));
    }

    private static void Feed(ISpeechRecognitionStream stream, short[] pcm)
    {
        var frame = AudioConstants.PipelineFrameSamples;
        for (var i = 0; i < pcm.Length; i += frame) stream.Write(pcm.AsSpan(i, Math.Min(frame, pcm.Length - i)));
    }

    private static short[] Padded(short[] speech)
    {
        var padded = new short[speech.Length + 9600];
        speech.CopyTo(padded, 4800);
        return padded;
    }
}

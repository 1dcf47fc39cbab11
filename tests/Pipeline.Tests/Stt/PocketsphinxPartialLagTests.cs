using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Stt.Pocketsphinx;

namespace MediaServer.Pipeline.Tests.Stt;

/// <summary>
/// <see cref="ISpeechRecognitionStream.PartialLagMs"/>: how much of the written audio the partial hypothesis has not
/// heard yet. semantic_vad reads it so that a recogniser behind on a loaded machine does not have its stale partial
/// judged at a pause.
/// </summary>
[Collection(MediaServer.Pipeline.Tests.Tts.NativeSpeechCollection.Name)]
public sealed class PocketsphinxPartialLagTests
{
    private static readonly TranscriptionRequest Request = new("pocketsphinx", "en", null);

    private static short[] Speech() => TestSpeech.Flite("can you tell me the weather in london");

    private static void WriteFrames(ISpeechRecognitionStream stream, short[] pcm, bool catchUp)
    {
        for (var i = 0; i + AudioConstants.PipelineFrameSamples <= pcm.Length; i += AudioConstants.PipelineFrameSamples)
        {
            stream.Write(pcm.AsSpan(i, AudioConstants.PipelineFrameSamples));
            if (catchUp) ((PocketsphinxRecognitionStream)stream).DecodePending();
        }
    }

    [Fact]
    public void A_partial_that_has_not_been_refreshed_lags_by_all_the_audio_written()
    {
        // A partial refreshed only every 100 s of audio never refreshes here: it has heard none of it.
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1, PartialEveryFrames = 5000 });
        using var stream = engine.StartUtterance(Request);
        var pcm = Speech();

        WriteFrames(stream, pcm, catchUp: true);

        int writtenMs = pcm.Length / AudioConstants.PipelineFrameSamples * AudioConstants.FrameMilliseconds;
        Assert.Equal(string.Empty, stream.Partial);
        Assert.Equal(writtenMs, stream.PartialLagMs);
    }

    [Fact]
    public void A_caught_up_partial_lags_by_less_than_one_decode_piece()
    {
        using var engine = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1, PartialEveryFrames = 1 });
        using var stream = engine.StartUtterance(Request);
        Assert.Equal(0, stream.PartialLagMs);

        WriteFrames(stream, Speech(), catchUp: true);

        Assert.NotEqual(string.Empty, stream.Partial);
        // Decoding takes 100 ms pieces: what is left over waits for the next piece.
        Assert.InRange(stream.PartialLagMs, 0, 99);
    }
}

using MediaServer.Pipeline.Tts;

namespace MediaServer.Pipeline.Tests.Tts;

internal static class TtsTestHelpers
{
    /// <summary>Collects a whole synthesis and counts the chunks it came in.</summary>
    public static async Task<(short[] Pcm, int Chunks)> CollectAsync(ITextToSpeech engine, SpeechRequest request, CancellationToken cancellationToken = default)
    {
        var all = new List<short>();
        var chunks = 0;
        await foreach (var chunk in engine.SynthesizeAsync(request, cancellationToken))
        {
            chunks++;
            all.AddRange(chunk.Span);
        }

        return (all.ToArray(), chunks);
    }

    /// <summary>Fraction of adjacent samples that change sign: low for voiced speech, high for noise (a whisper).</summary>
    public static double ZeroCrossingRate(short[] pcm)
    {
        var crossings = 0;
        var counted = 0;
        for (var i = 1; i < pcm.Length; i++)
        {
            if (Math.Abs((int)pcm[i]) < 200 && Math.Abs((int)pcm[i - 1]) < 200) continue; // skip silence
            counted++;
            if ((pcm[i] >= 0) != (pcm[i - 1] >= 0)) crossings++;
        }

        return counted == 0 ? 0 : (double)crossings / counted;
    }
}

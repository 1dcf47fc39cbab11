using System.Runtime.CompilerServices;
using MediaServer.Pipeline.Tts;

namespace MediaServer.Pipeline.Expressive;

/// <summary>
/// Renders planned segments through any <see cref="ITextToSpeech"/>: words with their style (the
/// <see cref="TextToSpeechRegistry"/> sends whispers to espeak-ng), sounds from <see cref="NonVerbalSounds"/> at the
/// engine's rate, so the caller gets one PCM stream at <see cref="ITextToSpeech.SampleRate"/>.
/// </summary>
public static class ExpressiveSpeechRenderer
{
    /// <summary>Streams 16-bit mono PCM for one segment at <paramref name="tts"/>'s sample rate.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<short>> RenderAsync(
        ITextToSpeech tts, ExpressiveSegment segment, string voice, double speed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tts);
        ArgumentNullException.ThrowIfNull(segment);
        switch (segment)
        {
            case SpeakSegment speak:
                await foreach (var chunk in tts.SynthesizeAsync(speak.ToRequest(voice, speed), cancellationToken).ConfigureAwait(false))
                {
                    yield return chunk;
                }

                break;
            case NonVerbalSegment sound:
                cancellationToken.ThrowIfCancellationRequested();
                yield return NonVerbalSounds.Render(sound.Kind, tts.SampleRate, sound.Volume);
                break;
        }
    }
}

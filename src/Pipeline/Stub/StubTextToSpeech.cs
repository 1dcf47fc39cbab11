using System.Runtime.CompilerServices;
using MediaServer.Pipeline.Tts;

namespace MediaServer.Pipeline.Stub;

/// <summary>
/// A synthesiser with no synthesis cost: it speaks a precomputed 440 Hz tone, 60 ms per character of text (between
/// 0.3 and 3 s), in 100 ms slices of one shared buffer. See <see cref="StubSpeechToText"/> for why it exists.
/// </summary>
public sealed class StubTextToSpeech : ITextToSpeech
{
    public const int Rate = 24_000;
    private const int ChunkSamples = Rate / 10;
    private const int MaxSamples = Rate * 3;
    private const int MinSamples = Rate * 3 / 10;
    private const int SamplesPerCharacter = Rate * 60 / 1000;

    private static readonly short[] Tone = CreateTone();

    public string Name => "stub";

    public int SampleRate => Rate;

    public async IAsyncEnumerable<ReadOnlyMemory<short>> SynthesizeAsync(SpeechRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        int total = Math.Clamp(request.Text.Length * SamplesPerCharacter, MinSamples, MaxSamples);
        for (int offset = 0; offset < total; offset += ChunkSamples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Tone.AsMemory(offset, Math.Min(ChunkSamples, total - offset));
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static short[] CreateTone()
    {
        var tone = new short[MaxSamples];
        for (int i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(6000 * Math.Sin(2 * Math.PI * 440 * i / Rate));
        }

        return tone;
    }
}

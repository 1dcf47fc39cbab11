namespace MediaServer.Pipeline.Audio;

/// <summary>
/// A streaming sample-rate converter for 16-bit mono PCM between 8, 16, 22.05, 24, 44.1 and 48 kHz. It keeps its filter
/// history between calls, so a stream cut into 20 ms frames converts exactly as if it were one block.
/// Implementations never allocate in <see cref="Process"/>.
/// </summary>
public interface IResampler
{
    int InputRate { get; }

    int OutputRate { get; }

    /// <summary>
    /// Group delay in milliseconds: output sample n carries the input at time n / OutputRate minus this delay.
    /// Zero for a passthrough; about 2 ms for the windowed-sinc converters.
    /// </summary>
    double DelayMilliseconds { get; }

    /// <summary>The most samples <see cref="Process"/> can write for <paramref name="inputSamples"/> input samples.</summary>
    int MaxOutputSamples(int inputSamples);

    /// <summary>Converts <paramref name="input"/>, writes into <paramref name="output"/>, returns samples written.</summary>
    int Process(ReadOnlySpan<short> input, Span<short> output);

    /// <summary>
    /// Ends the stream: writes the output still held back by the filter's delay (as if silence followed the last
    /// input), then resets. <paramref name="output"/> needs <see cref="MaxFlushSamples"/>. Returns samples written.
    /// </summary>
    int Flush(Span<short> output);

    /// <summary>The most samples <see cref="Flush"/> can write.</summary>
    int MaxFlushSamples { get; }

    /// <summary>Forgets the filter history (a new stream starts).</summary>
    void Reset();
}

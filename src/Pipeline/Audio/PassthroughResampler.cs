namespace MediaServer.Pipeline.Audio;

/// <summary>The identity converter for equal rates: a copy, no delay, no state.</summary>
internal sealed class PassthroughResampler(int rate) : IResampler
{
    public int InputRate => rate;

    public int OutputRate => rate;

    public double DelayMilliseconds => 0;

    public int MaxOutputSamples(int inputSamples) => inputSamples;

    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        input.CopyTo(output);
        return input.Length;
    }

    public int MaxFlushSamples => 0;

    public int Flush(Span<short> output) => 0;

    public void Reset()
    {
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;

namespace MediaServer.Pipeline.Audio;

/// <summary>
/// Streaming rational resampler: each output sample is one K-tap dot product between the input history and the
/// polyphase branch chosen by the output's sub-sample position, so work is proportional to the output count and no
/// zero-stuffed intermediate signal exists. Input history survives between calls, which makes the output of a
/// stream cut into 20 ms frames identical to the output of the same stream in one block.
/// </summary>
internal sealed class PolyphaseResampler : IResampler
{
    /// <summary>Input samples converted per inner pass; larger calls are processed in slices of this size.</summary>
    private const int ChunkCapacity = 4096;

    private readonly PolyphaseFilterBank _bank;
    private readonly float[] _coefficients;
    private readonly int _taps;
    private readonly int _history;
    private readonly int _interpolation;
    private readonly int _decimation;
    private readonly int _stepWhole;
    private readonly int _stepFraction;

    // Input samples as floats on the 16-bit scale: [0, _history) is the tail of the previous call, then new input.
    private readonly float[] _buffer;

    // Buffer index of the newest input sample the next output reads, and that output's polyphase branch.
    private int _position;
    private int _phase;

    public PolyphaseResampler(PolyphaseFilterBank bank, int inputRate, int outputRate)
    {
        _bank = bank;
        _coefficients = bank.Coefficients;
        _taps = bank.Taps;
        _history = bank.Taps - 1;
        _interpolation = bank.Interpolation;
        _decimation = bank.Decimation;
        _stepWhole = _decimation / _interpolation;
        _stepFraction = _decimation % _interpolation;
        _buffer = new float[_history + ChunkCapacity];
        InputRate = inputRate;
        OutputRate = outputRate;
        Reset();
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>Group delay of the linear-phase filter: output sample n represents input time n/OutputRate minus this.</summary>
    public double DelayMilliseconds => _bank.DelayInputSamples * 1000.0 / InputRate;

    /// <summary>Taps per output sample (for diagnostics and benchmarks).</summary>
    internal int Taps => _taps;

    public int MaxOutputSamples(int inputSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputSamples);
        return (int)(((long)inputSamples * _interpolation + _decimation - 1) / _decimation) + 1;
    }

    /// <summary>The exact number of samples the next <see cref="Process"/> call will write for this input length.</summary>
    public int OutputSamplesFor(int inputSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputSamples);
        long span = (long)_history + inputSamples - _position; // input samples ahead of the next output position
        long numerator = (span * _interpolation) - _phase;
        return numerator <= 0 ? 0 : (int)((numerator + _decimation - 1) / _decimation);
    }

    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int expected = OutputSamplesFor(input.Length);
        if (output.Length < expected)
        {
            throw new ArgumentException($"Output needs {expected} samples, has {output.Length}.", nameof(output));
        }

        int written = 0;
        while (!input.IsEmpty)
        {
            int count = Math.Min(input.Length, ChunkCapacity);
            Span<float> fresh = _buffer.AsSpan(_history, count);
            for (int i = 0; i < count; i++)
            {
                fresh[i] = input[i];
            }

            int end = _history + count;
            while (_position < end)
            {
                int start = _position - _history;
                float sum = Dot(
                    ref _coefficients[_phase * _taps],
                    ref _buffer[start],
                    _taps);
                output[written++] = Pcm16.Saturate(sum);

                _position += _stepWhole;
                _phase += _stepFraction;
                if (_phase >= _interpolation)
                {
                    _phase -= _interpolation;
                    _position++;
                }
            }

            // Keep the newest K-1 samples as history for the next slice or call.
            _buffer.AsSpan(count, _history).CopyTo(_buffer);
            _position -= count;
            input = input[count..];
        }

        return written;
    }

    public int MaxFlushSamples => MaxOutputSamples(FlushInputSamples);

    /// <summary>Input zeros that push every output up to the last real input sample out of the filter.</summary>
    private int FlushInputSamples => (int)Math.Ceiling(_bank.DelayInputSamples);

    public int Flush(Span<short> output)
    {
        // The group delay is at most a few hundred input samples (48 kHz to 8 kHz is the longest).
        Span<short> silence = stackalloc short[FlushInputSamples];
        silence.Clear();
        int written = Process(silence, output);
        Reset();
        return written;
    }

    public void Reset()
    {
        Array.Clear(_buffer);
        _position = _history;
        _phase = 0;
    }

    /// <summary>
    /// Dot product with four independent vector accumulators: one accumulator would be bound by the add latency
    /// (about four cycles per vector), four keep the multiply-add units busy. Tap counts are padded to a multiple of
    /// <see cref="PolyphaseFilterBank.TapAlignment"/>, so the scalar tail only runs on hardware without vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ref float a, ref float b, int length)
    {
        int i = 0;
        float total = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            var acc0 = Vector<float>.Zero;
            var acc1 = Vector<float>.Zero;
            var acc2 = Vector<float>.Zero;
            var acc3 = Vector<float>.Zero;
            for (; i <= length - (4 * width); i += 4 * width)
            {
                acc0 += Vector.LoadUnsafe(ref a, (nuint)i) * Vector.LoadUnsafe(ref b, (nuint)i);
                acc1 += Vector.LoadUnsafe(ref a, (nuint)(i + width)) * Vector.LoadUnsafe(ref b, (nuint)(i + width));
                acc2 += Vector.LoadUnsafe(ref a, (nuint)(i + (2 * width))) * Vector.LoadUnsafe(ref b, (nuint)(i + (2 * width)));
                acc3 += Vector.LoadUnsafe(ref a, (nuint)(i + (3 * width))) * Vector.LoadUnsafe(ref b, (nuint)(i + (3 * width)));
            }

            for (; i <= length - width; i += width)
            {
                acc0 += Vector.LoadUnsafe(ref a, (nuint)i) * Vector.LoadUnsafe(ref b, (nuint)i);
            }

            total = Vector.Sum((acc0 + acc1) + (acc2 + acc3));
        }

        for (; i < length; i++)
        {
            total += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }

        return total;
    }
}

namespace MediaServer.Pipeline.Audio;

/// <summary>
/// An in-place iterative radix-2 complex FFT of one power-of-two size (Cooley and Tukey, 1965), with twiddles and the
/// bit-reversal permutation computed once. Immutable after construction, so one plan can serve every stream.
/// </summary>
internal sealed class FftPlan
{
    private readonly float[] _cos;
    private readonly float[] _sin;
    private readonly int[] _reversed;

    public FftPlan(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Must be a power of two.");
        }

        Size = size;
        _cos = new float[size / 2];
        _sin = new float[size / 2];
        for (int i = 0; i < size / 2; i++)
        {
            double angle = -2.0 * Math.PI * i / size;
            _cos[i] = (float)Math.Cos(angle);
            _sin[i] = (float)Math.Sin(angle);
        }

        int bits = System.Numerics.BitOperations.Log2((uint)size);
        _reversed = new int[size];
        for (int i = 0; i < size; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _reversed[i] = r;
        }
    }

    public int Size { get; }

    /// <summary>Forward transform, unscaled: X[k] = sum x[n] e^(-2 pi i k n / N).</summary>
    public void Forward(Span<float> real, Span<float> imaginary) => Transform(real, imaginary, inverse: false);

    /// <summary>Inverse transform, scaled by 1/N so that Inverse(Forward(x)) = x.</summary>
    public void Inverse(Span<float> real, Span<float> imaginary)
    {
        Transform(real, imaginary, inverse: true);
        float scale = 1f / Size;
        for (int i = 0; i < Size; i++)
        {
            real[i] *= scale;
            imaginary[i] *= scale;
        }
    }

    private void Transform(Span<float> real, Span<float> imaginary, bool inverse)
    {
        if (real.Length < Size || imaginary.Length < Size)
        {
            throw new ArgumentException("Buffers are shorter than the plan.");
        }

        for (int i = 0; i < Size; i++)
        {
            int j = _reversed[i];
            if (j > i)
            {
                (real[i], real[j]) = (real[j], real[i]);
                (imaginary[i], imaginary[j]) = (imaginary[j], imaginary[i]);
            }
        }

        float direction = inverse ? -1f : 1f;
        for (int length = 2; length <= Size; length <<= 1)
        {
            int half = length >> 1;
            int step = Size / length;
            for (int start = 0; start < Size; start += length)
            {
                for (int k = 0; k < half; k++)
                {
                    float wr = _cos[k * step];
                    float wi = direction * _sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    float br = (real[b] * wr) - (imaginary[b] * wi);
                    float bi = (real[b] * wi) + (imaginary[b] * wr);
                    real[b] = real[a] - br;
                    imaginary[b] = imaginary[a] - bi;
                    real[a] += br;
                    imaginary[a] += bi;
                }
            }
        }
    }
}

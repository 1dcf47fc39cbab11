using MediaServer.Pipeline.Audio;

namespace MediaServer.Pipeline.Interruptions;

/// <summary>
/// Tells whether the microphone is hearing the agent's own voice: the outgoing audio (<see cref="EchoReference"/>),
/// delayed and attenuated by a phone line's hybrid or a loudspeaker, compared with what comes in. The echo path's
/// delay is found by normalised cross-correlation over 0..<see cref="BargeInOptions.MaxEchoDelayMs"/> (computed with
/// one complex FFT of both real signals, Oppenheim and Schafer §9.3 "two real sequences in one transform"), then
/// tracked frame by frame within ±1.5 ms. A frame whose last 64 ms correlate with the reference at that delay is
/// echo; a user talking over the echo adds energy the reference does not explain and the similarity falls.
/// </summary>
/// <remarks>
/// A correlation gate rather than an NLMS canceller: the canceller must converge (hundreds of ms of single talk) and
/// needs thousands of taps for a 300 ms path at 16 kHz; the gate only has to say "explained or not", works from the
/// first echo frame, and costs two 16k-point FFTs every 100 ms while the agent talks and the microphone hears sound.
/// It does not remove the echo from the audio sent to the recogniser. Not thread-safe; no allocation per frame.
/// </remarks>
public sealed class EchoGate
{
    private const int SampleRate = AudioConstants.PipelineSampleRate;
    private const int SearchWindow = 4096;
    private const int FineWindow = 1024;
    private const int FineSpan = 8;

    /// <summary>The delay search runs at 4 kHz (speech energy is below 2 kHz); the fine check at 16 kHz then
    /// finds the exact lag within ±<see cref="FineSpan"/> samples (±0.5 ms, more than the 4-sample coarse step).</summary>
    private const int Decimation = 4;
    private const int SearchEveryFrames = 5;
    private const float LockSimilarity = 0.5f;

    /// <summary>Below this mean square (about -66 dBFS) the microphone holds nothing to explain.</summary>
    private const double SilentMeanSquare = 16.0;

    private readonly EchoReference _reference;
    private readonly int _maxDelay;
    private readonly FftPlan _fft;
    private readonly float[] _re;
    private readonly float[] _im;
    private readonly float[] _pr;
    private readonly float[] _pi;
    private readonly double[] _prefix;
    private readonly float[] _mic = new float[SearchWindow];
    private readonly float[] _ref;
    private readonly float[] _coarseRef;
    private readonly float[] _coarseMic;
    private int _delay = -1;
    private int _sinceSearch = SearchEveryFrames;
    private long _micFilled;

    public EchoGate(EchoReference reference, int maxEchoDelayMs = 500)
    {
        _reference = reference;
        _maxDelay = maxEchoDelayMs * SampleRate / 1000;
        int length = SearchWindow + _maxDelay;
        int coarse = length / Decimation;
        int n = 1;
        while (n < coarse)
        {
            n *= 2;
        }

        _fft = new FftPlan(n);
        _re = new float[n];
        _im = new float[n];
        _pr = new float[n];
        _pi = new float[n];
        _prefix = new double[coarse + 1];
        _coarseRef = new float[coarse];
        _coarseMic = new float[SearchWindow / Decimation];
        _ref = new float[Math.Max(length, FineWindow + _maxDelay + (2 * FineSpan))];
    }

    /// <summary>The tracked echo delay in milliseconds, or -1.</summary>
    public int DelayMs => _delay < 0 ? -1 : _delay * 1000 / SampleRate;

    /// <summary>Full searches run so far (for tests and the benchmark).</summary>
    public int Searches { get; private set; }

    /// <summary>
    /// Judges one 16 kHz frame that ends at timeline sample <paramref name="frameEndSample"/> (the same timeline the
    /// reference is scheduled on).
    /// </summary>
    public EchoEstimate Process(ReadOnlySpan<short> frame, long frameEndSample)
    {
        // Slide the microphone history.
        int keep = SearchWindow - frame.Length;
        _mic.AsSpan(frame.Length, keep).CopyTo(_mic);
        for (int i = 0; i < frame.Length; i++)
        {
            _mic[keep + i] = frame[i];
        }

        _micFilled += frame.Length;
        if (!_reference.Overlaps(frameEndSample - FineWindow - _maxDelay - FineSpan, frameEndSample))
        {
            _delay = _reference.EndSample <= frameEndSample - SearchWindow - _maxDelay ? -1 : _delay;
            return EchoEstimate.None;
        }

        var fine = _mic.AsSpan(SearchWindow - FineWindow);
        if (MeanSquare(fine) < SilentMeanSquare)
        {
            return new EchoEstimate(true, 0, DelayMs);
        }

        float similarity = _delay >= 0 ? FineSimilarity(frameEndSample) : 0;
        if (similarity < LockSimilarity && ++_sinceSearch >= SearchEveryFrames && _micFilled >= FineWindow * 2)
        {
            _sinceSearch = 0;
            if (Search(frameEndSample) >= 0)
            {
                similarity = FineSimilarity(frameEndSample);
            }
        }

        return new EchoEstimate(true, similarity, DelayMs);
    }

    /// <summary>Forgets the tracked delay (a new call path).</summary>
    public void Reset()
    {
        _delay = -1;
        _sinceSearch = SearchEveryFrames;
        Array.Clear(_mic);
        _micFilled = 0;
    }

    private float FineSimilarity(long frameEndSample)
    {
        // Reference samples covering mic[t - F, t) at delays _delay - FineSpan .. _delay + FineSpan.
        int span = FineWindow + (2 * FineSpan);
        long from = frameEndSample - FineWindow - _delay - FineSpan;
        var reference = _ref.AsSpan(0, span);
        _reference.Read(from, reference);
        var mic = _mic.AsSpan(SearchWindow - FineWindow);
        double micEnergy = Dot(mic, mic);
        float best = 0;
        int bestDelay = _delay;
        for (int j = 0; j <= 2 * FineSpan; j++)
        {
            // j = 2 * FineSpan is the smallest delay (_delay - FineSpan).
            var r = reference.Slice(j, FineWindow);
            double refEnergy = Dot(r, r);
            if (refEnergy <= 0)
            {
                continue;
            }

            float ncc = (float)(Dot(mic, r) / Math.Sqrt(micEnergy * refEnergy));
            if (ncc > best)
            {
                best = ncc;
                bestDelay = _delay + FineSpan - j;
            }
        }

        if (best >= LockSimilarity)
        {
            _delay = Math.Clamp(bestDelay, 0, _maxDelay);
        }

        return best;
    }

    /// <summary>
    /// Cross-correlates the last 256 ms with 256 ms + the longest delay of reference, both decimated to 4 kHz (mean of
    /// four samples: a crude low-pass, enough for a correlation peak); returns the best NCC or -1 below the lock level.
    /// </summary>
    private float Search(long frameEndSample)
    {
        Searches++;
        int length = SearchWindow + _maxDelay;
        int coarse = length / Decimation;
        int window = SearchWindow / Decimation;
        int maxLag = _maxDelay / Decimation;
        int n = _fft.Size;
        // R = reference over [t - W - D, t); m = mic over [t - W, t). corr[j] = sum_k m[k] R[k + j]; delay = D - j.
        var reference = _ref.AsSpan(0, coarse * Decimation);
        _reference.Read(frameEndSample - (coarse * Decimation), reference);
        Decimate(reference, _coarseRef);
        Decimate(_mic, _coarseMic);
        _prefix[0] = 0;
        for (int i = 0; i < coarse; i++)
        {
            _prefix[i + 1] = _prefix[i] + ((double)_coarseRef[i] * _coarseRef[i]);
        }

        Array.Clear(_re);
        Array.Clear(_im);
        _coarseMic.CopyTo(_re, 0);
        _coarseRef.CopyTo(_im, 0);
        _fft.Forward(_re, _im);
        for (int k = 0; k < n; k++)
        {
            int mk = (n - k) & (n - 1);
            float zr = _re[k], zi = _im[k], wr = _re[mk], wi = _im[mk];
            float ar = (zr + wr) * 0.5f, ai = (zi - wi) * 0.5f; // M[k]
            float br = (zi + wi) * 0.5f, bi = (wr - zr) * 0.5f; // R[k]
            _pr[k] = (ar * br) + (ai * bi); // conj(M) R
            _pi[k] = (ar * bi) - (ai * br);
        }

        _fft.Inverse(_pr, _pi);
        double micEnergy = Dot(_coarseMic, _coarseMic);
        float best = 0;
        int bestJ = -1;
        int offset = coarse - window - maxLag; // reference samples before the longest delay's window (0 or a few)
        for (int j = offset; j <= offset + maxLag && j + window <= coarse; j++)
        {
            double refEnergy = _prefix[j + window] - _prefix[j];
            if (refEnergy <= micEnergy * 1e-3)
            {
                continue;
            }

            float ncc = (float)(_pr[j] / Math.Sqrt(micEnergy * refEnergy));
            if (ncc > best)
            {
                best = ncc;
                bestJ = j;
            }
        }

        if (bestJ >= 0 && best >= LockSimilarity)
        {
            // The window of lag j ends (coarse - window - j) coarse samples before t.
            _delay = Math.Clamp((coarse - window - bestJ) * Decimation, 0, _maxDelay);
            return best;
        }

        return -1;
    }

    private static void Decimate(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < output.Length; i++)
        {
            int at = i * Decimation;
            output[i] = (input[at] + input[at + 1] + input[at + 2] + input[at + 3]) * 0.25f;
        }
    }

    private static double MeanSquare(ReadOnlySpan<float> x) => x.IsEmpty ? 0 : Dot(x, x) / x.Length;

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var va = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(a);
        var vb = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(b);
        var sum = System.Numerics.Vector<float>.Zero;
        for (int i = 0; i < va.Length; i++)
        {
            sum += va[i] * vb[i];
        }

        double total = System.Numerics.Vector.Sum(sum);
        for (int i = va.Length * System.Numerics.Vector<float>.Count; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }
}

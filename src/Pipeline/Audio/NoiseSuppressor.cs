namespace MediaServer.Pipeline.Audio;

/// <summary>
/// Stationary-noise suppression for 16 kHz speech, applied before VAD and STT when a session asks for
/// <c>audio.input.noise_reduction</c>. Short-time spectral gain: 40 ms square-root-Hann windows at a 20 ms hop
/// (the pipeline's frame, so the frame in and out stay aligned), a Wiener gain from the decision-directed a-priori
/// SNR (Ephraim and Malah, IEEE Trans. ASSP 32(6), 1984), and a noise spectrum from minimum statistics over 2.4 s
/// (R. Martin, IEEE Trans. Speech Audio Proc. 9(5), 2001), so no VAD decision is needed to learn the noise; the
/// window is long enough that a sentence without pauses is not mistaken for noise.
/// The gain never drops below the profile's maximum attenuation, which keeps musical noise and speech damage low.
/// </summary>
/// <remarks>
/// Output frame n is input frame n-1 cleaned: the delay is exactly one frame (<see cref="DelayMilliseconds"/>). With
/// unity gains the windows overlap-add to the input exactly. One instance per stream; <see cref="Process"/>
/// allocates nothing.
/// </remarks>
public sealed class NoiseSuppressor
{
    public const int FrameSamples = AudioConstants.PipelineFrameSamples;

    private const int WindowSamples = 2 * FrameSamples;
    private const int FftSize = 1024;
    private const int Bins = (FftSize / 2) + 1;
    private const int SubWindows = 8;
    private const int HopsPerSubWindow = 15; // 8 x 15 hops x 20 ms = 2.4 s of minimum tracking
    private const float PowerSmoothing = 0.7f;
    private const float MinimumBias = 2.2f; // the minimum of a smoothed periodogram underestimates the mean noise
    private const float DecisionDirectedWeight = 0.98f;
    private const float MinPrioriSnr = 0.003f; // -25 dB: keeps residual noise smooth instead of musical
    private const float PowerEpsilon = 1e-3f;

    private static readonly FftPlan Plan = new(FftSize);
    private static readonly float[] Window = CreateWindow();

    private readonly float _minGain;
    private readonly float[] _analysis = new float[WindowSamples];
    private readonly float[] _real = new float[FftSize];
    private readonly float[] _imaginary = new float[FftSize];
    private readonly float[] _overlap = new float[FrameSamples];
    private readonly float[] _smoothed = new float[Bins];
    private readonly float[] _cleanPower = new float[Bins];
    private readonly float[] _currentMin = new float[Bins];
    private readonly float[] _subWindowMin = new float[SubWindows * Bins];
    private int _hopInSubWindow;
    private int _subWindow;
    private bool _started;

    public NoiseSuppressor(NoiseSuppressionProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Profile = profile;
        _minGain = (float)Math.Pow(10, -profile.MaxAttenuationDb / 20);
        Reset();
    }

    public NoiseSuppressionProfile Profile { get; }

    /// <summary>Output lags input by one frame.</summary>
    public double DelayMilliseconds => AudioConstants.FrameMilliseconds;

    /// <summary>Cleans one 20 ms frame (320 samples at 16 kHz) into <paramref name="output"/> (320 samples).</summary>
    public void Process(ReadOnlySpan<short> frame, Span<short> output)
    {
        if (frame.Length != FrameSamples || output.Length < FrameSamples)
        {
            throw new ArgumentException($"Frames are {FrameSamples} samples at 16 kHz.", nameof(frame));
        }

        _analysis.AsSpan(FrameSamples).CopyTo(_analysis);
        for (int i = 0; i < FrameSamples; i++)
        {
            _analysis[FrameSamples + i] = frame[i];
        }

        for (int i = 0; i < WindowSamples; i++)
        {
            _real[i] = _analysis[i] * Window[i];
        }

        Array.Clear(_real, WindowSamples, FftSize - WindowSamples);
        Array.Clear(_imaginary);
        Plan.Forward(_real, _imaginary);

        ApplyGains();
        AdvanceMinimumTracking();

        Plan.Inverse(_real, _imaginary);
        for (int i = 0; i < FrameSamples; i++)
        {
            output[i] = Pcm16.Saturate(_overlap[i] + (_real[i] * Window[i]));
            _overlap[i] = _real[FrameSamples + i] * Window[FrameSamples + i];
        }
    }

    public void Reset()
    {
        Array.Clear(_analysis);
        Array.Clear(_overlap);
        Array.Clear(_cleanPower);
        Array.Clear(_smoothed);
        Array.Fill(_currentMin, float.MaxValue);
        Array.Fill(_subWindowMin, float.MaxValue);
        _hopInSubWindow = 0;
        _subWindow = 0;
        _started = false;
    }

    private void ApplyGains()
    {
        for (int k = 0; k < Bins; k++)
        {
            float power = (_real[k] * _real[k]) + (_imaginary[k] * _imaginary[k]);
            float smoothed = _started ? (PowerSmoothing * _smoothed[k]) + ((1 - PowerSmoothing) * power) : power;
            _smoothed[k] = smoothed;
            if (smoothed < _currentMin[k])
            {
                _currentMin[k] = smoothed;
            }

            float minimum = _currentMin[k];
            for (int w = 0; w < SubWindows; w++)
            {
                minimum = Math.Min(minimum, _subWindowMin[(w * Bins) + k]);
            }

            float noise = (minimum * MinimumBias) + PowerEpsilon;
            float posteriori = power / noise;
            float priori = (DecisionDirectedWeight * _cleanPower[k] / noise)
                + ((1 - DecisionDirectedWeight) * Math.Max(posteriori - 1f, 0f));
            priori = Math.Max(priori, MinPrioriSnr);
            float gain = Math.Max(priori / (1f + priori), _minGain);
            _cleanPower[k] = gain * gain * power;

            _real[k] *= gain;
            _imaginary[k] *= gain;
            if (k > 0 && k < FftSize / 2)
            {
                _real[FftSize - k] *= gain;
                _imaginary[FftSize - k] *= gain;
            }
        }

        _started = true;
    }

    private void AdvanceMinimumTracking()
    {
        if (++_hopInSubWindow < HopsPerSubWindow)
        {
            return;
        }

        _currentMin.CopyTo(_subWindowMin.AsSpan(_subWindow * Bins, Bins));
        Array.Fill(_currentMin, float.MaxValue);
        _subWindow = (_subWindow + 1) % SubWindows;
        _hopInSubWindow = 0;
    }

    /// <summary>Periodic square-root Hann: its square overlap-adds to one at a half-window hop.</summary>
    private static float[] CreateWindow()
    {
        var window = new float[WindowSamples];
        for (int i = 0; i < WindowSamples; i++)
        {
            window[i] = (float)Math.Sin(Math.PI * i / WindowSamples);
        }

        return window;
    }
}

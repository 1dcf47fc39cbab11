using MediaServer.Pipeline.Audio;

namespace MediaServer.Pipeline.Vad;

/// <summary>
/// Speech probability from loudness relative to an adaptive noise floor. Cheap and language-agnostic; it cannot
/// tell speech from other loud sounds, which is why <see cref="CombinedVad"/> pairs it with Silero. Its other job is
/// the gate: a frame below <see cref="EnergyVadOptions.MinSpeechDbfs"/> or barely above the floor is never speech.
/// </summary>
/// <remarks>
/// The floor follows minimum statistics (R. Martin, "Noise power spectral density estimation based on optimal
/// smoothing and minimum statistics", IEEE Trans. Speech Audio Proc. 9(5), 2001), reduced to the broadband level:
/// the minimum frame level within a sliding window, with a limited rate of rise.
/// </remarks>
public sealed class EnergyVad : IVoiceActivityDetector
{
    private readonly EnergyVadOptions _options;
    private readonly double[] _window;
    private readonly double _risePerFrame;
    private int _next;

    public EnergyVad(EnergyVadOptions? options = null)
    {
        _options = options ?? new EnergyVadOptions();
        _options.Validate();
        _window = new double[_options.NoiseWindowMs / AudioConstants.FrameMilliseconds];
        _risePerFrame = _options.NoiseRiseDbPerSecond * AudioConstants.FrameMilliseconds / 1000.0;
        Reset();
    }

    /// <summary>The current noise floor estimate in dBFS.</summary>
    public double NoiseFloorDbfs { get; private set; }

    /// <summary>Level of the last frame in dBFS.</summary>
    public double LevelDbfs { get; private set; }

    /// <summary>Last frame's level above the floor as it was before that frame updated it, in dB.</summary>
    public double SnrDb { get; private set; }

    /// <summary>Speech probability of the last frame.</summary>
    public float Probability { get; private set; }

    /// <summary>True when the last frame was too quiet to be speech (below the absolute minimum, or within
    /// <paramref name="marginDb"/> of the noise floor).</summary>
    public bool IsBelowFloor(double marginDb) => LevelDbfs < _options.MinSpeechDbfs || SnrDb < marginDb;

    public float Process(ReadOnlySpan<short> frame)
    {
        double level = Pcm16.Dbfs(frame);
        LevelDbfs = level;

        // Score against the floor learnt from earlier frames, then let this frame teach the floor.
        SnrDb = level - NoiseFloorDbfs;
        if (level < _options.MinSpeechDbfs)
        {
            Probability = 0f;
        }
        else
        {
            Probability = (float)(1.0 / (1.0 + Math.Exp(-(SnrDb - _options.SnrMidpointDb) / _options.SnrSlopeDb)));
        }

        UpdateFloor(level);
        return Probability;
    }

    public void Reset()
    {
        // Unknown slots never win the minimum; until the window fills, the rise limit alone moves the floor up.
        Array.Fill(_window, double.PositiveInfinity);
        _next = 0;
        NoiseFloorDbfs = _options.InitialNoiseFloorDbfs;
        LevelDbfs = Pcm16.SilenceDbfs;
        SnrDb = 0;
        Probability = 0f;
    }

    public void Dispose()
    {
    }

    private void UpdateFloor(double level)
    {
        _window[_next] = Math.Max(level, _options.MinNoiseFloorDbfs);
        _next = (_next + 1) % _window.Length;

        double minimum = double.MaxValue;
        foreach (double value in _window)
        {
            minimum = Math.Min(minimum, value);
        }

        NoiseFloorDbfs = Math.Min(minimum, NoiseFloorDbfs + _risePerFrame);
    }
}

using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Profile;

namespace MediaServer.Pipeline.Interruptions;

/// <summary>
/// The two cues that separate a voice from a cough or a noise burst, per 20 ms frame: its level (dBFS) and whether
/// it is voiced, by YIN over the last 40 ms (<see cref="YinPitchEstimator"/>: periodic between 60 and 500 Hz). Coughs,
/// knocks, pink and white noise are aperiodic; "uh-huh", laughter and words are voiced. No allocation per frame.
/// </summary>
public sealed class FrameAcoustics
{
    private const int Window = 2 * AudioConstants.PipelineFrameSamples;

    private readonly YinPitchEstimator _yin = new(AudioConstants.PipelineSampleRate, Window);
    private readonly float[] _window = new float[Window];

    /// <summary>Level of the last frame, dBFS.</summary>
    public float LevelDb { get; private set; } = -96;

    /// <summary>Whether the last 40 ms were periodic like a voice.</summary>
    public bool Voiced { get; private set; }

    public void Process(ReadOnlySpan<short> frame)
    {
        int keep = Window - frame.Length;
        if (keep > 0)
        {
            _window.AsSpan(frame.Length, keep).CopyTo(_window);
        }

        double sum = 0;
        var tail = _window.AsSpan(Math.Max(0, keep));
        for (int i = 0; i < tail.Length && i < frame.Length; i++)
        {
            tail[i] = frame[i];
            sum += (double)frame[i] * frame[i];
        }

        double meanSquare = frame.IsEmpty ? 0 : sum / frame.Length;
        LevelDb = meanSquare <= 1 ? -96 : (float)(10 * Math.Log10(meanSquare / (32768.0 * 32768.0)));
        Voiced = LevelDb > -60 && _yin.Estimate(_window, out _) > 0;
    }
}

using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Profile;

namespace MediaServer.Pipeline.Turns;

/// <summary>
/// Follows the pitch of the user's speech frame by frame (YIN, the estimator the voice profile uses) and, at a pause,
/// tells how it moved over the last voiced stretch: a final fall usually ends a statement, a level or rising end
/// usually holds the turn ("and ...", a list, a hesitation). Cues from the turn-taking literature (Gravano and
/// Hirschberg, "Turn-taking cues in task-oriented dialogue", Computer Speech and Language 25(3), 2011: a final
/// fall marks turn ends, level and rising finals mark holds).
/// </summary>
/// <remarks>
/// One per input stream; preallocated, nothing allocated per frame. Only frames the VAD called speech are analysed
/// (about 50 µs of YIN each), so pauses cost nothing.
/// </remarks>
public sealed class FinalPitchTracker
{
    /// <summary>Voiced frames kept (2 s): enough for the turn's recent median and the final slope.</summary>
    private const int HistoryFrames = 100;

    /// <summary>The final contour is read over the voiced frames of the last 400 ms of speech.</summary>
    private const int FinalWindowMs = 400;

    /// <summary>At least this many voiced frames (100 ms) are needed in the final window for a verdict.</summary>
    private const int MinFinalVoicedFrames = 5;

    /// <summary>Slopes beyond ±this many semitones per second count as a fall or a rise; a declarative fall on
    /// the last word is typically 5 to 20 st/s, a level hold within a few.</summary>
    public const double SlopeThreshold = 4.0;

    /// <summary>A final pitch this many semitones below (above) the recent median also counts as a fall (rise).</summary>
    public const double OffsetThreshold = 1.5;

    private const int FrameSamples = AudioConstants.PipelineFrameSamples;
    private const int WindowSamples = 2 * FrameSamples; // 40 ms: two periods of the lowest F0 searched

    private readonly YinPitchEstimator _yin = new(AudioConstants.PipelineSampleRate, WindowSamples);
    private readonly float[] _window = new float[WindowSamples];
    private readonly float[] _semitones = new float[HistoryFrames];
    private readonly long[] _frameIndex = new long[HistoryFrames];
    private readonly float[] _scratch = new float[HistoryFrames];
    private int _count;
    private int _next;
    private long _frames;
    private long _lastSpeechFrame = -1;

    /// <summary>Forgets the previous turn.</summary>
    public void Reset()
    {
        _count = 0;
        _next = 0;
        _frames = 0;
        _lastSpeechFrame = -1;
        Array.Clear(_window);
    }

    /// <summary>Feeds one 20 ms frame at 16 kHz; <paramref name="speech"/> is the VAD's verdict for it.</summary>
    public void Process(ReadOnlySpan<short> frame16k, bool speech)
    {
        _frames++;
        // Slide the 40 ms window by one frame; silence frames keep it fresh so the next voiced frame starts clean.
        _window.AsSpan(FrameSamples).CopyTo(_window);
        var target = _window.AsSpan(FrameSamples);
        int n = Math.Min(frame16k.Length, FrameSamples);
        for (int i = 0; i < n; i++)
        {
            target[i] = frame16k[i] * (1f / 32768f);
        }

        target[n..].Clear();
        if (!speech)
        {
            return;
        }

        _lastSpeechFrame = _frames;
        double f0 = _yin.Estimate(_window, out _);
        if (f0 <= 0)
        {
            return;
        }

        _semitones[_next] = (float)PitchMath.HzToSemitones(f0);
        _frameIndex[_next] = _frames;
        _next = (_next + 1) % HistoryFrames;
        _count = Math.Min(_count + 1, HistoryFrames);
    }

    /// <summary>The final contour of the speech heard so far (call at a pause). Allocates nothing.</summary>
    public FinalProsody Final()
    {
        if (_count < MinFinalVoicedFrames || _lastSpeechFrame < 0)
        {
            return FinalProsody.Unknown;
        }

        long from = _lastSpeechFrame - (FinalWindowMs / AudioConstants.FrameMilliseconds);
        // Least squares over the voiced frames in the final window, after dropping octave jumps against the median.
        int all = 0;
        for (int k = 0; k < _count; k++)
        {
            _scratch[all++] = _semitones[k];
        }

        var sorted = _scratch.AsSpan(0, all);
        sorted.Sort();
        double median = sorted[all / 2];

        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int m = 0;
        long lastIndex = -1;
        for (int k = 0; k < _count; k++)
        {
            int slot = (_next - _count + k + HistoryFrames) % HistoryFrames;
            if (_frameIndex[slot] <= from || Math.Abs(_semitones[slot] - median) > 7)
            {
                continue;
            }

            double x = _frameIndex[slot] * (AudioConstants.FrameMilliseconds / 1000.0);
            double y = _semitones[slot];
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            m++;
            if (_frameIndex[slot] > lastIndex)
            {
                lastIndex = _frameIndex[slot];
            }
        }

        if (m < MinFinalVoicedFrames)
        {
            return FinalProsody.Unknown;
        }

        double denominator = (m * sxx) - (sx * sx);
        double slope = denominator <= 1e-12 ? 0 : ((m * sxy) - (sx * sy)) / denominator;
        // The fitted end point is steadier than the last raw frame.
        double fittedEnd = (sy / m) + (slope * ((lastIndex * (AudioConstants.FrameMilliseconds / 1000.0)) - (sx / m)));
        double offset = fittedEnd - median;
        var movement = slope <= -SlopeThreshold || offset <= -OffsetThreshold
            ? PitchMovement.Falling
            : slope >= SlopeThreshold || offset >= OffsetThreshold
                ? PitchMovement.Rising
                : PitchMovement.Level;
        return new FinalProsody(movement, slope, offset);
    }
}

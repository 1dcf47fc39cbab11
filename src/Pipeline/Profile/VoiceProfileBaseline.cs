namespace MediaServer.Pipeline.Profile;

/// <summary>
/// A speaker's running pitch baseline: the mean of per-utterance median F0 on a log (semitone) scale, an
/// arithmetic mean for the first <see cref="FullWeightUtterances"/> utterances and an exponential one after, so it
/// follows a slow drift without one odd turn moving it much. One per speaker per session; thread-safe.
/// </summary>
public sealed class VoiceProfileBaseline
{
    /// <summary>After this many utterances each new one weighs 1/N (exponential average).</summary>
    public const int FullWeightUtterances = 8;

    private readonly Lock _lock = new();
    private double _semitones;
    private int _count;

    /// <summary>Number of voiced utterances folded in so far.</summary>
    public int Utterances
    {
        get { lock (_lock) return _count; }
    }

    /// <summary>The baseline F0 in Hz, or null before the first voiced utterance.</summary>
    public double? F0Hz
    {
        get
        {
            lock (_lock) return _count == 0 ? null : PitchMath.SemitonesToHz(_semitones);
        }
    }

    /// <summary>Folds one utterance's median F0 in; ignores non-positive values (no voiced frames).</summary>
    public void Add(double medianF0Hz)
    {
        if (!(medianF0Hz > 0) || double.IsInfinity(medianF0Hz)) return;
        var st = PitchMath.HzToSemitones(medianF0Hz);
        lock (_lock)
        {
            _count++;
            var weight = 1.0 / Math.Min(_count, FullWeightUtterances);
            _semitones += (st - _semitones) * weight;
        }
    }
}

namespace MediaServer.Pipeline.Vad;

/// <summary>
/// Tuning of <see cref="EnergyVad"/>. Levels are RMS dBFS per 20 ms frame (<see cref="Audio.Pcm16.Dbfs"/>: a
/// full-scale sine is -3 dBFS). Defaults suit close-talk speech at -35 to -15 dBFS over a microphone or phone line.
/// </summary>
public sealed class EnergyVadOptions
{
    /// <summary>Frames quieter than this are never speech, whatever the noise floor (default -55 dBFS, roughly a
    /// whisper at arm's length; a quiet room through a headset measures -60 to -70).</summary>
    public double MinSpeechDbfs { get; set; } = -55;

    /// <summary>Signal-to-noise ratio at which the probability is 0.5 (default 9 dB).</summary>
    public double SnrMidpointDb { get; set; } = 9;

    /// <summary>Width of the logistic from noise to speech: the probability moves from 0.27 to 0.73 over twice this
    /// (default 2.5 dB, so 0.05 at 1.6 dB SNR and 0.95 at 16.4 dB).</summary>
    public double SnrSlopeDb { get; set; } = 2.5;

    /// <summary>The noise floor is the quietest frame within this window (minimum statistics, default 1.5 s): a
    /// talker pauses for breath well within it, and a new steady noise is learnt within it.</summary>
    public int NoiseWindowMs { get; set; } = 1500;

    /// <summary>The most the floor may rise per second (default 20 dB/s), so a long stretch of speech without
    /// pauses is not learnt as noise at once, while a noise 20 dB louder than before is learnt within 2.5 s (the
    /// window, then one second of rise). The floor falls without limit.</summary>
    public double NoiseRiseDbPerSecond { get; set; } = 20;

    /// <summary>Floor assumed before any audio arrived (default -60 dBFS), so speech in the very first frame
    /// is recognised.</summary>
    public double InitialNoiseFloorDbfs { get; set; } = -60;

    /// <summary>Lowest floor (default -90 dBFS): digital silence must not make dither count as speech.</summary>
    public double MinNoiseFloorDbfs { get; set; } = -90;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (SnrSlopeDb <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SnrSlopeDb), SnrSlopeDb, "Must be positive.");
        }

        if (NoiseWindowMs < Audio.AudioConstants.FrameMilliseconds)
        {
            throw new ArgumentOutOfRangeException(nameof(NoiseWindowMs), NoiseWindowMs, "Must cover at least one frame.");
        }

        if (NoiseRiseDbPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(NoiseRiseDbPerSecond), NoiseRiseDbPerSecond, "Must not be negative.");
        }
    }
}

namespace MediaServer.Pipeline.Profile.Onnx;

/// <summary>
/// The turn's acoustic feature vector as an ONNX profile classifier with <c>Input: "features"</c> receives it: a float
/// tensor of shape [1, <see cref="Length"/>] holding the <see cref="VoiceFeatures"/> the embedded profiler measured,
/// in this fixed order (a model trained on them must use it too):
/// <code>
///  0 speech_seconds                    articulation time, s
///  1 median_f0_hz                      0 when nothing was voiced
///  2 pitch_semitones_from_baseline     against the speaker's running baseline (or 160 Hz before one exists)
///  3 had_baseline                      1 or 0
///  4 level_dbfs                        mean level of speech frames
///  5 level_std_db                      spread of the speech frame levels
///  6 voiced_ratio                      share of speech frames with periodic excitation, 0..1
///  7 high_band_ratio                   first-difference energy over energy (spectral tilt proxy), 0..4
///  8 nuclei_per_second                 energy-envelope syllable nuclei per second
///  9 transcript_syllables_per_second   0 without words
/// 10 syllables_per_second              the rate the speaking_rate label used
/// </code>
/// Values are raw (not normalised): a model should carry its own scaling as its first layer.
/// </summary>
public static class VoiceFeatureVector
{
    /// <summary>The feature names, index = position in the vector.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "speech_seconds",
        "median_f0_hz",
        "pitch_semitones_from_baseline",
        "had_baseline",
        "level_dbfs",
        "level_std_db",
        "voiced_ratio",
        "high_band_ratio",
        "nuclei_per_second",
        "transcript_syllables_per_second",
        "syllables_per_second",
    ];

    /// <summary>Number of features.</summary>
    public const int Length = 11;

    /// <summary>Writes <paramref name="f"/> into <paramref name="destination"/> (at least <see cref="Length"/> long).</summary>
    public static void Write(in VoiceFeatures f, Span<float> destination)
    {
        if (destination.Length < Length) throw new ArgumentException($"Needs {Length} floats.", nameof(destination));
        destination[0] = (float)f.SpeechSeconds;
        destination[1] = (float)f.MedianF0Hz;
        destination[2] = (float)f.PitchSemitonesFromBaseline;
        destination[3] = f.HadBaseline ? 1f : 0f;
        destination[4] = (float)f.LevelDbfs;
        destination[5] = (float)f.LevelStdDb;
        destination[6] = (float)f.VoicedRatio;
        destination[7] = (float)f.HighBandRatio;
        destination[8] = (float)f.NucleiPerSecond;
        destination[9] = (float)f.TranscriptSyllablesPerSecond;
        destination[10] = (float)f.SyllablesPerSecond;
    }
}

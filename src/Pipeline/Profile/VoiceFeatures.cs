namespace MediaServer.Pipeline.Profile;

/// <summary>
/// The acoustic measurements one utterance's labels were derived from. Exposed so the session can log them as
/// structured fields, feed them to the LLM note, and so tests can assert relative ordering without thresholds.
/// </summary>
/// <param name="SpeechSeconds">Duration of active (above the level gate) frames.</param>
/// <param name="MedianF0Hz">Median fundamental frequency over voiced frames; 0 when none were voiced.</param>
/// <param name="PitchSemitonesFromBaseline">Median F0 in semitones above the speaker's baseline before this
/// utterance (or above the population reference when the baseline was empty).</param>
/// <param name="HadBaseline">Whether a speaker baseline existed when the utterance was labelled.</param>
/// <param name="LevelDbfs">Mean level of active frames, dB relative to full scale.</param>
/// <param name="LevelStdDb">Standard deviation of the active frame levels (energy variance, in dB).</param>
/// <param name="VoicedRatio">Share of active frames with a periodic (voiced) excitation.</param>
/// <param name="HighBandRatio">Mean share of active-frame energy in the first difference of the signal, a cheap
/// spectral-tilt proxy: breathy and whispered speech put more energy high.</param>
/// <param name="NucleiPerSecond">Syllable nuclei (energy-envelope peaks) per second of speech.</param>
/// <param name="TranscriptSyllablesPerSecond">Syllables counted in the transcript per second of speech; 0 without words.</param>
/// <param name="SyllablesPerSecond">The rate the speaking_rate label used.</param>
public readonly record struct VoiceFeatures(
    double SpeechSeconds,
    double MedianF0Hz,
    double PitchSemitonesFromBaseline,
    bool HadBaseline,
    double LevelDbfs,
    double LevelStdDb,
    double VoicedRatio,
    double HighBandRatio,
    double NucleiPerSecond,
    double TranscriptSyllablesPerSecond,
    double SyllablesPerSecond);

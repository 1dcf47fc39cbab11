namespace MediaServer.Pipeline.Profile;

/// <summary>
/// Turns <see cref="VoiceFeatures"/> into labels. Every label is a soft membership: a logistic of the distance
/// from its threshold, so confidence is ~0.5 on a boundary and approaches 1 well past it. The rules:
/// <list type="bullet">
/// <item><b>pitch</b>: median F0 in semitones against the speaker's baseline: <c>low</c> below
/// −<see cref="PitchStepSemitones"/>, <c>high</c> above +<see cref="PitchStepSemitones"/>, else <c>mid</c>. Before
/// the speaker has a baseline it is judged against <see cref="PopulationReferenceHz"/> with a wider band and its
/// confidence capped at <see cref="NoBaselineConfidenceCap"/> (the speaker's sex dominates absolute F0). No voiced
/// frames: <c>unknown</c>/0.</item>
/// <item><b>speaking_rate</b>: syllables per second of articulation time: <c>slow</c> under
/// <see cref="SlowSyllablesPerSecond"/>, <c>fast</c> over <see cref="FastSyllablesPerSecond"/>, else <c>normal</c>.</item>
/// <item><b>vocal_style</b>: <c>whispering</c> when speech has little voicing (under ~30 % of speech frames periodic);
/// <c>soft</c> / <c>loud</c> from the mean speech level in dBFS (absolute: telephone and WebRTC paths apply AGC, so
/// levels are comparable); <c>neutral</c> takes the remaining confidence. <c>tense</c> is not emitted: nothing here
/// measures laryngeal tension honestly.</item>
/// <item><b>emotion</b>: only two acoustic patterns from the literature on vocal affect (Scherer 2003): <c>excited</c>
/// = high pitch AND fast AND not soft; <c>sad</c> = low pitch AND slow AND not loud (AND of memberships = their
/// minimum, scaled by 0.8 because the pattern is ambiguous). A small word list adds <c>happy</c>, <c>sad</c> or
/// <c>angry</c> evidence (0.35 per kind). <c>neutral</c> gets the rest, at most 0.6. No speech: <c>unknown</c>/0.</item>
/// <item><b>age</b>, <b>accent</b>: always <c>unknown</c>/0, no model.</item>
/// </list>
/// </summary>
public static class VoiceProfileRules
{
    /// <summary>Pitch reference before a speaker baseline exists: between typical adult male (~120 Hz) and female
    /// (~210 Hz) speaking F0.</summary>
    public const double PopulationReferenceHz = 160;

    /// <summary>Semitones from the baseline that make a turn low or high (about the spread of a speaker's
    /// turn-to-turn median F0 in neutral speech, so most neutral turns read mid).</summary>
    public const double PitchStepSemitones = 2.0;

    /// <summary>Half-width of the mid band without a baseline: ±5 semitones around the reference (120–214 Hz).</summary>
    public const double NoBaselinePitchStepSemitones = 5.0;

    /// <summary>Highest pitch confidence before the speaker has a baseline.</summary>
    public const double NoBaselineConfidenceCap = 0.5;

    /// <summary>Conversational English articulation runs about 4–6 syllables per second.</summary>
    public const double SlowSyllablesPerSecond = 3.5;

    /// <inheritdoc cref="SlowSyllablesPerSecond"/>
    public const double FastSyllablesPerSecond = 6.5;

    /// <summary>Mean speech-frame level under which a turn reads soft (ordinary speech after AGC sits near −18 to −26 dBFS).</summary>
    public const double SoftDbfs = -30;

    /// <summary>Mean speech-frame level over which a turn reads loud.</summary>
    public const double LoudDbfs = -16;

    /// <summary>Voicing ratio under which a turn reads whispering.</summary>
    public const double WhisperVoicedRatio = 0.3;

    /// <summary>Less speech than this gives no labels at all (unknown/0).</summary>
    public const double MinSpeechSeconds = 0.3;

    private static readonly string[] s_sadWords = ["sad", "sorry", "unfortunately", "miss", "lost", "tired", "depressed", "upset", "alone", "cry", "crying"];
    private static readonly string[] s_happyWords = ["great", "awesome", "love", "wonderful", "amazing", "happy", "glad", "excellent", "fantastic", "yay", "thanks"];
    private static readonly string[] s_angryWords = ["angry", "furious", "hate", "ridiculous", "stupid", "annoyed", "terrible", "unacceptable", "damn"];

    /// <summary>
    /// The speaking rate to label: the transcript's syllable rate when it has at least 3 syllables (STT words are
    /// a better syllable count than envelope peaks), averaged 2:1 with the acoustic nuclei rate; else the nuclei rate.
    /// </summary>
    public static double CombineRates(double nucleiPerSecond, double transcriptPerSecond, int transcriptSyllables) =>
        transcriptSyllables >= 3 && transcriptPerSecond > 0
            ? (2 * transcriptPerSecond + nucleiPerSecond) / 3
            : nucleiPerSecond;

    /// <summary>Labels <paramref name="f"/>; <paramref name="baseline"/> is only read (for its presence).</summary>
    public static VoiceProfile Label(VoiceFeatures f, VoiceProfileBaseline baseline, string transcript = "")
    {
        ArgumentNullException.ThrowIfNull(baseline);
        VoiceLabel[] unknown = [new(VoiceProfile.Unknown, 0)];
        if (f.SpeechSeconds < MinSpeechSeconds) return new VoiceProfile(unknown, unknown, unknown, unknown, f);

        // Pitch.
        double pLow = 0, pHigh = 0;
        VoiceLabel[] pitch;
        if (f.MedianF0Hz > 0)
        {
            var step = f.HadBaseline ? PitchStepSemitones : NoBaselinePitchStepSemitones;
            var cap = f.HadBaseline ? 1.0 : NoBaselineConfidenceCap;
            pLow = Sigmoid((-step - f.PitchSemitonesFromBaseline) / 0.6);
            pHigh = Sigmoid((f.PitchSemitonesFromBaseline - step) / 0.6);
            pitch = Three("low", pLow, "mid", "high", pHigh, cap);
        }
        else
        {
            pitch = unknown;
        }

        // Rate.
        var pSlow = Sigmoid((SlowSyllablesPerSecond - f.SyllablesPerSecond) / 0.35);
        var pFast = Sigmoid((f.SyllablesPerSecond - FastSyllablesPerSecond) / 0.35);
        var rate = Three("slow", pSlow, "normal", "fast", pFast, 1.0);

        // Vocal style.
        var pWhisper = Sigmoid((WhisperVoicedRatio - f.VoicedRatio) / 0.06);
        var pSoft = Sigmoid((SoftDbfs - f.LevelDbfs) / 1.5);
        var pLoud = Sigmoid((f.LevelDbfs - LoudDbfs) / 1.5);
        var style = new List<VoiceLabel>(4);
        AddIf(style, "whispering", pWhisper);
        AddIf(style, "soft", pSoft);
        AddIf(style, "loud", pLoud);
        AddIf(style, "neutral", 1 - Math.Max(pWhisper, Math.Max(pSoft, pLoud)));

        // Emotion.
        var excited = 0.8 * Math.Min(pHigh, Math.Min(pFast, 1 - pSoft));
        var sad = 0.8 * Math.Min(pLow, Math.Min(pSlow, 1 - pLoud));
        var happy = 0.0;
        var angry = 0.0;
        var words = transcript.Split([' ', ',', '.', '!', '?', ';', ':', '"'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var word in words)
        {
            if (Contains(s_sadWords, word)) sad = Math.Min(0.9, sad + 0.35);
            else if (Contains(s_happyWords, word)) happy = Math.Min(0.9, happy + 0.35);
            else if (Contains(s_angryWords, word)) angry = Math.Min(0.9, angry + 0.35 + 0.2 * pLoud);
        }

        var strongest = Math.Max(Math.Max(excited, sad), Math.Max(happy, angry));
        var emotion = new List<VoiceLabel>(5);
        AddIf(emotion, "neutral", 0.6 * (1 - strongest));
        AddIf(emotion, "excited", excited);
        AddIf(emotion, "sad", sad);
        AddIf(emotion, "happy", happy);
        AddIf(emotion, "angry", angry);

        return new VoiceProfile(emotion, style, pitch, rate, f);
    }

    private static bool Contains(string[] list, string word)
    {
        foreach (var w in list)
        {
            if (string.Equals(w, word, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }

    /// <summary>Low / mid / high style memberships; labels under 0.05 are dropped.</summary>
    private static VoiceLabel[] Three(string low, double pLow, string mid, string high, double pHigh, double cap)
    {
        var pMid = Math.Max(0, 1 - pLow - pHigh);
        var list = new List<VoiceLabel>(3);
        AddIf(list, low, pLow * cap);
        AddIf(list, mid, pMid * cap);
        AddIf(list, high, pHigh * cap);
        return [.. list];
    }

    private static void AddIf(List<VoiceLabel> list, string label, double confidence)
    {
        if (confidence >= 0.05) list.Add(new VoiceLabel(label, confidence));
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}

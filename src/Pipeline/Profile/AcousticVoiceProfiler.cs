namespace MediaServer.Pipeline.Profile;

/// <summary>
/// The default, embedded and offline profiler: our own DSP on 16 kHz PCM (YIN F0, frame energy and its variance,
/// voicing ratio, a first-difference spectral-tilt proxy, syllable nuclei from the energy envelope) plus the
/// transcript's syllable count, turned into labels by <see cref="VoiceProfileRules"/>. Stateless and thread-safe;
/// the per-speaker state lives in <see cref="VoiceProfileBaseline"/>.
/// </summary>
public sealed class AcousticVoiceProfiler : IVoiceProfiler
{
    public IVoiceProfileAnalyzer Start(VoiceProfileBaseline baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return new AcousticVoiceProfileAnalyzer(baseline);
    }
}

namespace MediaServer.Pipeline.Profile;

/// <summary>
/// Produces a paralinguistic profile of the user's speech alongside STT (issue 7, "Voice profile").
/// One analyzer per user turn; the session keeps one <see cref="VoiceProfileBaseline"/> per speaker so pitch is
/// judged against that speaker's own running baseline rather than a population norm.
/// </summary>
public interface IVoiceProfiler
{
    /// <summary>Begins a user turn. <paramref name="baseline"/> is read and, on completion, updated.</summary>
    IVoiceProfileAnalyzer Start(VoiceProfileBaseline baseline);
}

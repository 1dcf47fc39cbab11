namespace MediaServer.Pipeline.Profile;

/// <summary>
/// One label of a voice-profile dimension with its confidence in [0, 1], the element type of every array in
/// Inworld's <c>providerData.voiceProfile</c> (REALTIME-PROTOCOL.md §6.4).
/// </summary>
public readonly record struct VoiceLabel(string Label, double Confidence);

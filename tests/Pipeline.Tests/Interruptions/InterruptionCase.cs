using MediaServer.Pipeline.Interruptions;

namespace MediaServer.Pipeline.Tests.Interruptions;

/// <summary>The transport path a corpus case travels, both ways.</summary>
public enum InterruptionPath
{
    /// <summary>SIP trunk: 8 kHz, G.711 µ-law round trip on the agent's audio and on the microphone (echo included).</summary>
    Telephone8kG711,

    /// <summary>WebRTC wideband: 48 kHz PCM.</summary>
    Wideband48k,
}

/// <summary>
/// One labelled case: the agent talks, and the microphone hears <see cref="Truth"/> (a real interruption, a
/// backchannel, a noise burst or cough, or only the agent's own echo), optionally with echo underneath.
/// </summary>
/// <param name="Name">Readable id: kind, clip, path, echo.</param>
/// <param name="Truth">What the sound is.</param>
/// <param name="Path">Transport path.</param>
/// <param name="SampleRate">Rate of <see cref="Outgoing"/> and <see cref="Microphone"/>.</param>
/// <param name="Outgoing">The agent's audio as sent on the path (what the echo gate gets as reference).</param>
/// <param name="OutgoingStartMs">Where the agent starts talking on the input timeline.</param>
/// <param name="Microphone">What the server receives on the path.</param>
/// <param name="SoundOnsetMs">Where the user's sound starts (-1 for echo-only cases).</param>
/// <param name="EchoDelayMs">Echo path delay, or -1 for none.</param>
/// <param name="EchoLevelDb">Echo level relative to the agent's audio.</param>
public sealed record InterruptionCase(
    string Name,
    InterruptionKind Truth,
    InterruptionPath Path,
    int SampleRate,
    short[] Outgoing,
    long OutgoingStartMs,
    short[] Microphone,
    long SoundOnsetMs,
    int EchoDelayMs,
    double EchoLevelDb)
{
    public override string ToString() => Name;
}

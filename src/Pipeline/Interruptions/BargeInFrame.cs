namespace MediaServer.Pipeline.Interruptions;

/// <summary>What the arbiter knows about one 20 ms input frame heard while the agent's audio was playing.</summary>
/// <param name="EndMs">Where the frame ends on the input timeline.</param>
/// <param name="SpeechProbability">The VAD's probability for the frame.</param>
/// <param name="LevelDb">Frame level, dBFS.</param>
/// <param name="Voiced">Periodic like a voice (YIN).</param>
/// <param name="Echo">How well the agent's outgoing audio explains it.</param>
public readonly record struct BargeInFrame(long EndMs, float SpeechProbability, float LevelDb, bool Voiced, EchoEstimate Echo);

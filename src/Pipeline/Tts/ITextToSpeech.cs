namespace MediaServer.Pipeline.Tts;

/// <summary>A speech synthesis engine. Thread-safe.</summary>
public interface ITextToSpeech
{
    /// <summary>Engine name (for example <c>espeak-ng</c> or <c>flite</c>).</summary>
    string Name { get; }

    /// <summary>Rate of the PCM this engine produces.</summary>
    int SampleRate { get; }

    /// <summary>
    /// Synthesises <see cref="SpeechRequest.Text"/> and streams 16-bit mono PCM at <see cref="SampleRate"/>
    /// in chunks as they are produced, so the first audio leaves before the whole text is rendered.
    /// Cancelling stops synthesis promptly.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<short>> SynthesizeAsync(SpeechRequest request, CancellationToken cancellationToken);
}

/// <summary>One span of text to speak, with the voice and prosody that apply to it.</summary>
/// <param name="Text">Plain words, no tags.</param>
/// <param name="Voice">The session's voice name (OpenAI names such as <c>alloy</c> are mapped by the engine).</param>
/// <param name="Speed">0.25 to 1.5, 1 is normal.</param>
/// <param name="Style">Prosody for this span; null is neutral.</param>
public sealed record SpeechRequest(string Text, string Voice, double Speed = 1.0, SpeechStyle? Style = null);

/// <summary>Prosody adjustments relative to the voice's neutral delivery.</summary>
/// <param name="RateFactor">Multiplies the speaking rate (1 = unchanged).</param>
/// <param name="PitchFactor">Multiplies the base pitch (1 = unchanged).</param>
/// <param name="VolumeFactor">Multiplies the volume (1 = unchanged).</param>
/// <param name="Whisper">Breathy, unvoiced delivery where the engine can do it.</param>
public sealed record SpeechStyle(double RateFactor = 1, double PitchFactor = 1, double VolumeFactor = 1, bool Whisper = false);

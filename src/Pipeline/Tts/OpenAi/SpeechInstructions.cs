using System.Text;

namespace MediaServer.Pipeline.Tts.OpenAi;

/// <summary>
/// A span's prosody in words, for speech models that take delivery instructions instead of SSML (OpenAI's
/// <c>instructions</c>): the steering tags the LLM wrote reach the voice as "Whisper. Speak quietly." Rate is sent
/// as the request's speed, so it is left out here.
/// </summary>
public static class SpeechInstructions
{
    /// <summary>Null for a neutral span (nothing to say).</summary>
    public static string? Describe(SpeechStyle? style)
    {
        if (style is null) return null;
        var text = new StringBuilder();
        if (style.Whisper) text.Append("Whisper. ");
        if (style.VolumeFactor < 0.85) text.Append(style.VolumeFactor < 0.6 ? "Speak very quietly. " : "Speak softly. ");
        else if (style.VolumeFactor > 1.15) text.Append(style.VolumeFactor > 1.4 ? "Speak very loudly. " : "Speak loudly. ");
        if (style.PitchFactor > 1.08) text.Append("Use a higher, brighter pitch. ");
        else if (style.PitchFactor < 0.92) text.Append("Use a lower, darker pitch. ");
        return text.Length == 0 ? null : text.ToString().TrimEnd();
    }
}

using MediaServer.Pipeline.Tts;

namespace MediaServer.Pipeline.Expressive;

/// <summary>One step of an expressive reply, in the order it must be heard.</summary>
public abstract record ExpressiveSegment;

/// <summary>Words to synthesise with the prosody of the steering tag that governs them.</summary>
/// <param name="Text">Plain words, never a tag.</param>
/// <param name="Style">The governing tag's style; neutral (<c>new SpeechStyle()</c>) before any tag.</param>
public sealed record SpeakSegment(string Text, SpeechStyle Style) : ExpressiveSegment
{
    /// <summary>The TTS request for this span in the session's voice and speed.</summary>
    public SpeechRequest ToRequest(string voice, double speed = 1.0) => new(Text, voice, speed, Style);
}

/// <summary>A sound (<see cref="NonVerbalSounds"/>) played at the tag's place.</summary>
/// <param name="Kind">Which sound.</param>
/// <param name="Tag">The tag as written, without brackets.</param>
/// <param name="Volume">The governing style's volume (a laugh inside <c>[whisper]</c> is quiet too); 1 is speech level.</param>
public sealed record NonVerbalSegment(NonVerbalKind Kind, string Tag, double Volume = 1) : ExpressiveSegment;

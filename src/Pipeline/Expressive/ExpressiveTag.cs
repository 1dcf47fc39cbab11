using MediaServer.Pipeline.Tts;

namespace MediaServer.Pipeline.Expressive;

/// <summary>What a bracketed tag means to the speech path.</summary>
public enum ExpressiveTagKind
{
    /// <summary>Not in the vocabulary: dropped from speech, reported so the caller can log it once per session.</summary>
    Unknown,

    /// <summary>A delivery direction: governs the text after it until the next steering tag.</summary>
    Steering,

    /// <summary>A sound played at the tag's place in the stream.</summary>
    NonVerbal,
}

/// <summary>A classified tag.</summary>
/// <param name="Text">The tag as written, without brackets.</param>
/// <param name="Kind">What it means.</param>
/// <param name="Style">For <see cref="ExpressiveTagKind.Steering"/>: the prosody for the text it governs.</param>
/// <param name="Sound">For <see cref="ExpressiveTagKind.NonVerbal"/>: the sound to play.</param>
public sealed record ExpressiveTag(string Text, ExpressiveTagKind Kind, SpeechStyle? Style = null, NonVerbalKind? Sound = null);

namespace MediaServer.Pipeline.Tests.Turns.Corpus;

/// <summary>What a pause after a fragment of speech is, in truth.</summary>
public enum TurnBoundaryKind
{
    /// <summary>A pause inside a thought ("I'd like a pizza and ..."): the agent must not take the turn here.</summary>
    Hold,

    /// <summary>The end of the user's turn: the agent should take it, as soon as possible.</summary>
    End,

    /// <summary>A pause between two complete sentences of one turn: taking the turn is acceptable, so it counts
    /// neither as a cut-off nor as a miss (reported separately).</summary>
    Optional,
}

/// <summary>
/// The truth about one pause: where the speech before it ends on the utterance's timeline (milliseconds from the
/// start of the audio, the input timeline the pipeline sees) and how long the silence lasts.
/// </summary>
/// <param name="SpeechEndMs">Last sample of the fragment before the pause (the synthesiser's silence trimmed).</param>
/// <param name="PauseMs">Silence after it, up to the next fragment or the end of the audio.</param>
/// <param name="Kind">Hold, end or optional.</param>
/// <param name="Cue">Why it is a hold (<c>and</c>, <c>um</c>, <c>list</c>, ...) or what ends (<c>statement</c>, <c>question</c>).</param>
public sealed record TurnBoundary(long SpeechEndMs, int PauseMs, TurnBoundaryKind Kind, string Cue);

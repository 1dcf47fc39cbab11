namespace MediaServer.Pipeline.Tests.Turns.Corpus;

/// <summary>One fragment of a script: text spoken in one breath, then a pause of a given kind.</summary>
/// <param name="Text">What the voice says (punctuation shapes flite's and espeak-ng's intonation).</param>
/// <param name="Kind">What the pause after it is.</param>
/// <param name="Cue">The cue a listener would use (<c>and</c>, <c>um</c>, <c>statement</c>, ...).</param>
public sealed record TurnCorpusFragment(string Text, TurnBoundaryKind Kind, string Cue);

/// <summary>
/// A user turn as a sequence of fragments. The last fragment always ends the turn; the pauses between fragments are
/// holds (a thought in progress) or optional (between complete sentences). The builder chooses the pause lengths.
/// </summary>
public sealed record TurnCorpusScript(string Name, IReadOnlyList<TurnCorpusFragment> Fragments)
{
    public static TurnCorpusScript Complete(string name, string text, string cue) =>
        new(name, [new TurnCorpusFragment(text, TurnBoundaryKind.End, cue)]);

    public static TurnCorpusScript Held(string name, string first, string cue, string rest, string restCue = "statement") =>
        new(name, [new TurnCorpusFragment(first, TurnBoundaryKind.Hold, cue), new TurnCorpusFragment(rest, TurnBoundaryKind.End, restCue)]);

    /// <summary>
    /// The standard scripts: finished statements and questions; holds on a trailing conjunction ("and", "so",
    /// "because"), a filler ("um", "I mean"), a list in progress and a half sentence ending on "the" / "to"; and a
    /// pause between two complete sentences.
    /// </summary>
    public static IReadOnlyList<TurnCorpusScript> Standard { get; } =
    [
        Complete("question-wh", "What time does the pharmacy close today?", "question"),
        Complete("question-yesno", "Can you book a table for two at seven?", "question"),
        Complete("statement-cancel", "I would like to cancel my subscription.", "statement"),
        Complete("statement-invoice", "Please send the invoice to my email address.", "statement"),
        Held("hold-and", "I would like to order a large pizza and", "and", "a bottle of lemonade."),
        Held("hold-so", "My flight was delayed so", "so", "I missed the connection."),
        Held("hold-because", "I am calling because", "because", "my internet stopped working."),
        Held("hold-um", "I was thinking um", "um", "maybe we could meet on Friday."),
        Held("hold-i-mean", "It is about the order I mean", "i-mean", "the one I placed yesterday."),
        Held("hold-list", "I need eggs, milk,", "list", "butter and some bread."),
        Held("hold-half-the", "Could you send it to the", "half", "office instead of my home?", "question"),
        Held("hold-half-to", "I want to travel to", "half", "Boston next week."),
        new("between-sentences",
        [
            new TurnCorpusFragment("Thanks, that works for me.", TurnBoundaryKind.Optional, "statement"),
            new TurnCorpusFragment("Can you also send me a confirmation?", TurnBoundaryKind.End, "question"),
        ]),
    ];
}

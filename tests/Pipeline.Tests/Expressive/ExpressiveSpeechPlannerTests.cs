using MediaServer.Pipeline.Expressive;
using MediaServer.Pipeline.Tts;

namespace MediaServer.Pipeline.Tests.Expressive;

public sealed class ExpressiveSpeechPlannerTests
{
    private static readonly SpeechStyle Neutral = new();

    [Fact]
    public void Tags_split_across_tokens_never_reach_speech_or_display()
    {
        var (segments, display, _) = Plan("Hello ", "[spe", "ak soft", "ly]", " there [la", "ugh] friend. [wh", "isper", "] Bye.");
        var spoken = string.Join(" ", segments.OfType<SpeakSegment>().Select(s => s.Text));
        Assert.DoesNotContain("[", spoken, StringComparison.Ordinal);
        Assert.DoesNotContain("]", spoken, StringComparison.Ordinal);
        Assert.DoesNotContain("soft", spoken, StringComparison.Ordinal);
        Assert.DoesNotContain("laugh", spoken, StringComparison.Ordinal);
        Assert.DoesNotContain("whisper", spoken, StringComparison.Ordinal);
        Assert.Equal("Hello there friend. Bye.", display);
    }

    [Fact]
    public void A_steering_tag_styles_only_the_text_after_it_until_the_next_steering_tag()
    {
        var (segments, _, _) = Plan("Good morning. [whi", "sper] This is a secret, ", "[laugh] isn't it? ", "[speak quickly] Now fast. Still fast.");
        Assert.Equal(
        [
            new SpeakSegment("Good morning.", Neutral),
            new SpeakSegment("This is a secret,", ExpressiveTagVocabulary.Classify("whisper").Style!),
            new NonVerbalSegment(NonVerbalKind.Laugh, "laugh", ExpressiveTagVocabulary.Classify("whisper").Style!.VolumeFactor),
            new SpeakSegment("isn't it?", ExpressiveTagVocabulary.Classify("whisper").Style!),
            new SpeakSegment("Now fast.", ExpressiveTagVocabulary.Classify("speak quickly").Style!),
            new SpeakSegment("Still fast.", ExpressiveTagVocabulary.Classify("speak quickly").Style!),
        ], segments);
    }

    [Fact]
    public void A_mid_sentence_steering_tag_cuts_the_sentence_there()
    {
        var (segments, display, _) = Plan("I said [in a loud voice] stop right now.");
        var speak = segments.Cast<SpeakSegment>().ToArray();
        Assert.Equal(["I said", "stop right now."], speak.Select(s => s.Text));
        Assert.Equal(Neutral, speak[0].Style);
        Assert.True(speak[1].Style.VolumeFactor > 1);
        Assert.Equal("I said stop right now.", display);
    }

    [Fact]
    public void Non_verbals_come_out_at_their_place()
    {
        var (segments, display, _) = Plan("[sigh]", "Well", ", okay. [hmm] Let me think", " [cough] sorry.");
        Assert.Equal(
        [
            new NonVerbalSegment(NonVerbalKind.Sigh, "sigh"),
            new SpeakSegment("Well, okay.", Neutral),
            new NonVerbalSegment(NonVerbalKind.Hmm, "hmm"),
            new SpeakSegment("Let me think", Neutral),
            new NonVerbalSegment(NonVerbalKind.Cough, "cough"),
            new SpeakSegment("sorry.", Neutral),
        ], segments);
        Assert.Equal("Well, okay. Let me think sorry.", display);
    }

    [Fact]
    public void Unknown_tags_are_dropped_reported_and_leave_the_style()
    {
        var (segments, display, unknown) = Plan("[sad] One. [citation needed] Two. [Sound Sad]");
        Assert.Equal(["citation needed"], unknown);
        Assert.All(segments.Cast<SpeakSegment>(), s => Assert.True(s.Style.RateFactor < 1));
        Assert.Equal("One. Two.", display);
    }

    [Fact]
    public void Sentences_come_out_before_the_reply_ends()
    {
        var planner = new ExpressiveSpeechPlanner();
        var excited = ExpressiveTagVocabulary.Classify("excited").Style!;
        Assert.Empty(planner.Append("[excited] We won").Segments);
        Assert.Equal([new SpeakSegment("We won!", excited)], planner.Append("! And then").Segments);
        Assert.Empty(planner.Append(" more").Segments);
        Assert.Equal([new SpeakSegment("And then more", excited)], planner.Complete().Segments);
    }

    [Fact]
    public void Display_deltas_add_up_to_the_display_text()
    {
        var planner = new ExpressiveSpeechPlanner();
        var deltas = new[] { "[whisper]", " Hi", " [la", "ugh]", " there." }.Select(p => planner.Append(p).DisplayDelta).ToList();
        deltas.Add(planner.Complete().DisplayDelta);
        Assert.Equal("Hi there.", string.Concat(deltas));
        Assert.Equal(planner.DisplayText, string.Concat(deltas));
        Assert.Equal("", deltas[0]);
    }

    [Fact]
    public void An_unclosed_bracket_is_spoken_at_the_end()
    {
        var (segments, display, unknown) = Plan("The price is 5 [approx");
        Assert.Equal("The price is 5 [approx", display);
        Assert.Equal("The price is 5 [approx", Assert.IsType<SpeakSegment>(Assert.Single(segments)).Text);
        Assert.Empty(unknown);
    }

    [Fact]
    public void Style_carries_into_the_final_unpunctuated_span()
    {
        var (segments, _, _) = Plan("[slowly] take it easy");
        var last = Assert.IsType<SpeakSegment>(Assert.Single(segments));
        Assert.Equal("take it easy", last.Text);
        Assert.True(last.Style.RateFactor < 1);
        Assert.Equal(new SpeechRequest("take it easy", "alloy", 1.2, last.Style), last.ToRequest("alloy", 1.2));
    }

    [Fact]
    public void Tags_can_be_kept_in_the_display_text_but_never_in_speech()
    {
        var planner = new ExpressiveSpeechPlanner(keepTagsInDisplay: true);
        var pieces = new[] { "[whi", "sper] Hi ", "[laugh] there." };
        var segments = pieces.SelectMany(p => planner.Append(p).Segments).ToList();
        segments.AddRange(planner.Complete().Segments);
        Assert.Equal(string.Concat(pieces), planner.DisplayText);
        Assert.Equal(["Hi", "there."], segments.OfType<SpeakSegment>().Select(s => s.Text));
        Assert.Single(segments.OfType<NonVerbalSegment>());
    }

    [Fact]
    public void Odd_bracketing_never_throws_and_never_speaks_a_closed_tag()
    {
        var (segments, display, unknown) = Plan("a ]b[ [[x]] c [", "] d [laugh", "[sigh] e.");
        var spoken = string.Join(" ", segments.OfType<SpeakSegment>().Select(s => s.Text));
        Assert.DoesNotContain("x", spoken, StringComparison.Ordinal);
        Assert.DoesNotContain("sigh", spoken, StringComparison.Ordinal);
        Assert.Equal(display.Replace("  ", " ", StringComparison.Ordinal), display);
        Assert.NotEmpty(unknown);
    }

    private static (List<ExpressiveSegment> Segments, string Display, IReadOnlyList<string> Unknown) Plan(params string[] pieces)
    {
        var planner = new ExpressiveSpeechPlanner();
        var segments = new List<ExpressiveSegment>();
        foreach (var piece in pieces) segments.AddRange(planner.Append(piece).Segments);
        segments.AddRange(planner.Complete().Segments);
        return (segments, planner.DisplayText, planner.UnknownTags);
    }
}

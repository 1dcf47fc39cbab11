using MediaServer.Pipeline.Tts;

namespace MediaServer.Pipeline.Tests.Tts;

public sealed class SentenceSplitterTests
{
    [Fact]
    public void Splits_after_sentence_punctuation_and_keeps_it()
    {
        Assert.Equal(["Hello there.", "How are you?", "Fine!", "Good"], SentenceSplitter.Split("Hello there. How are you? Fine! Good"));
    }

    [Fact]
    public void Decimals_abbreviations_and_initials_do_not_split()
    {
        Assert.Equal(["Dr. Smith paid 3.5 dollars to J. Doe at example.com today.", "Then left."],
            SentenceSplitter.Split("Dr. Smith paid 3.5 dollars to J. Doe at example.com today. Then left."));
    }

    [Fact]
    public void Line_breaks_split_and_empty_or_punctuation_only_pieces_vanish()
    {
        Assert.Equal(["One", "Two."], SentenceSplitter.Split("One\n\n... \nTwo. ..."));
        Assert.Empty(SentenceSplitter.Split("   "));
        Assert.Empty(SentenceSplitter.Split(""));
    }

    [Fact]
    public void Closing_quotes_stay_with_their_sentence()
    {
        Assert.Equal(["She said \"go.\"", "Then \"stop!\""], SentenceSplitter.Split("She said \"go.\" Then \"stop!\""));
    }

    [Fact]
    public void Long_sentences_are_broken_below_the_limit_at_a_comma_or_space()
    {
        var text = string.Join(", ", Enumerable.Repeat("a rather long clause that goes on", 20)) + ".";
        var pieces = SentenceSplitter.Split(text);
        Assert.True(pieces.Count > 1);
        Assert.All(pieces, p => Assert.True(p.Length <= SentenceSplitter.MaxSentenceLength, p));
        Assert.Equal(text.Replace(" ", "", StringComparison.Ordinal), string.Concat(pieces).Replace(" ", "", StringComparison.Ordinal));
    }
}

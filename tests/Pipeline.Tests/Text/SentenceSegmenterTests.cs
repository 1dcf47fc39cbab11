using MediaServer.Pipeline.Text;

namespace MediaServer.Pipeline.Tests.Text;

public sealed class SentenceSegmenterTests
{
    [Fact]
    public void Pieces_end_at_sentence_punctuation_followed_by_space()
    {
        var segmenter = new SentenceSegmenter();
        var pieces = new List<string>();
        foreach (var token in new[] { "Hi", " there.", " How are", " you? I", " am fine" })
        {
            pieces.AddRange(segmenter.Append(token));
        }

        Assert.Equal(["Hi there.", "How are you?"], pieces);
        Assert.Equal("I am fine", segmenter.Flush());
        Assert.Null(segmenter.Flush());
    }

    [Fact]
    public void Long_clauses_break_at_commas_but_short_ones_do_not()
    {
        var segmenter = new SentenceSegmenter();
        Assert.Empty(segmenter.Append("Well, yes, "));
        string clause = new string('a', SentenceSegmenter.SoftLimit) + ", ";
        var pieces = segmenter.Append(clause);
        Assert.Single(pieces);
        Assert.EndsWith(",", pieces[0]);
    }

    [Fact]
    public void Abbreviations_and_initials_do_not_end_a_streamed_piece_but_quoted_sentences_do()
    {
        // The same rule as the whole-text splitter (SentenceBoundary): the cut is decided at the space after "Dr.".
        var segmenter = new SentenceSegmenter();
        var pieces = new List<string>();
        foreach (var token in new[] { "Dr.", " Smith met J.", " Doe. She", " said \"go.\"", " Then" })
        {
            pieces.AddRange(segmenter.Append(token));
        }

        Assert.Equal(["Dr. Smith met J. Doe.", "She said \"go.\""], pieces);
        Assert.Equal("Then", segmenter.Flush());
    }
}

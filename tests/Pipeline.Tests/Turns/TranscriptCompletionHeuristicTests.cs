using MediaServer.Pipeline.Turns;

namespace MediaServer.Pipeline.Tests.Turns;

public sealed class TranscriptCompletionHeuristicTests
{
    [Theory]
    [InlineData("what time is it", TranscriptCompletionHeuristic.Complete)]
    [InlineData("Can you tell me the weather in London?", TranscriptCompletionHeuristic.Complete)]
    [InlineData("I'd like to order a pizza and", TranscriptCompletionHeuristic.Unfinished)]
    [InlineData("I want to go to the", TranscriptCompletionHeuristic.Unfinished)]
    [InlineData("so um", TranscriptCompletionHeuristic.Unfinished)]
    [InlineData("my number is,  ", TranscriptCompletionHeuristic.Unfinished)]
    [InlineData("THE END.", TranscriptCompletionHeuristic.Complete)]
    [InlineData("42", TranscriptCompletionHeuristic.Complete)]
    [InlineData("it is about the order i mean", TranscriptCompletionHeuristic.Unfinished)]
    [InlineData("we could meet on friday you know", TranscriptCompletionHeuristic.Unfinished)]
    [InlineData("i was thinking i'm", TranscriptCompletionHeuristic.Unfinished)]
    [InlineData("that is what i mean", TranscriptCompletionHeuristic.Unfinished)]
    [InlineData("i know what you mean", TranscriptCompletionHeuristic.Complete)]
    [InlineData("i'm doing well", TranscriptCompletionHeuristic.Complete)]
    public void Judges_the_last_word(string transcript, float expected) =>
        Assert.Equal(expected, TranscriptCompletionHeuristic.Estimate(transcript));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void No_words_means_no_estimate(string transcript) =>
        Assert.Null(TranscriptCompletionHeuristic.Estimate(transcript));

    [Fact]
    public void Drives_semantic_vad_to_wait_longer_for_an_unfinished_sentence()
    {
        var detector = ServerVadTurnDetector.ForSemanticVad(Eagerness.High);
        var strategy = (EagernessTurnEndStrategy)detector.EndStrategy;
        long t = 0;
        for (int i = 0; i < 50; i++)
        {
            detector.Process(0.9f, t += 20);
        }

        strategy.CompletionProbability = TranscriptCompletionHeuristic.Estimate("I would like a ticket to");
        long stoppedAt = -1;
        for (int i = 0; i < 200 && stoppedAt < 0; i++)
        {
            if (detector.Process(0.05f, t += 20).Kind == TurnEventKind.SpeechStopped)
            {
                stoppedAt = t;
            }
        }

        // High eagerness: 300 ms when complete, 2000 ms bound; 0.1 complete gives 300 + 0.9² * 1700 = 1677 ms,
        // reached on the first 20 ms frame boundary after it.
        Assert.Equal(1000 + 1680, stoppedAt);
    }
}

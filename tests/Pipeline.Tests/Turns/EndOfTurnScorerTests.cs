using MediaServer.Pipeline.Turns;

namespace MediaServer.Pipeline.Tests.Turns;

public sealed class EndOfTurnScorerTests
{
    private static FinalProsody Pitch(PitchMovement movement) => new(movement, 0, 0);

    [Fact]
    public void Words_decide_and_pitch_nudges()
    {
        float fall = HeuristicEndOfTurnScorer.Score("i would like to cancel my subscription", Pitch(PitchMovement.Falling))!.Value;
        float level = HeuristicEndOfTurnScorer.Score("i would like to cancel my subscription", Pitch(PitchMovement.Level))!.Value;
        float hanging = HeuristicEndOfTurnScorer.Score("i would like a pizza and", Pitch(PitchMovement.Falling))!.Value;

        Assert.True(fall > level, "a final fall makes a complete sentence more final than a level end");
        Assert.True(level > hanging, "a trailing 'and' holds the turn whatever the pitch does");
        Assert.True(hanging < 0.3f);
    }

    [Fact]
    public void A_finished_question_is_complete_even_when_its_pitch_rises()
    {
        Assert.Equal(TranscriptCompletionHeuristic.Complete, HeuristicEndOfTurnScorer.Score("can you book a table for two", Pitch(PitchMovement.Rising)));
        Assert.True(HeuristicEndOfTurnScorer.Score("i booked a table for two", Pitch(PitchMovement.Rising)) < TranscriptCompletionHeuristic.Complete);
    }

    [Fact]
    public void Pitch_alone_decides_weakly_and_no_evidence_means_complete()
    {
        Assert.Null(HeuristicEndOfTurnScorer.Score("", FinalProsody.Unknown));
        Assert.True(HeuristicEndOfTurnScorer.Score("", Pitch(PitchMovement.Falling)) > HeuristicEndOfTurnScorer.Score("", Pitch(PitchMovement.Level)));
    }

    [Theory]
    [InlineData("yes", 0.95f)]
    [InlineData(" Yes.", 0.95f)]
    [InlineData("\"no\"", 0.05f)]
    [InlineData("NO", 0.05f)]
    [InlineData("maybe", null)]
    [InlineData("", null)]
    public void Chat_scorer_reads_a_one_word_answer(string answer, float? expected) =>
        Assert.Equal(expected, ChatEndOfTurnScorer.Parse(answer));

    [Theory]
    [InlineData(-12.0, PitchMovement.Falling)]
    [InlineData(0.0, PitchMovement.Level)]
    [InlineData(12.0, PitchMovement.Rising)]
    public void Pitch_tracker_hears_the_final_glide(double semitonesPerSecond, PitchMovement expected)
    {
        var tracker = new FinalPitchTracker();
        // One second of a voiced buzz at 180 Hz; its last 400 ms glide at the given rate.
        short[] pcm = Glide(180, semitonesPerSecond, totalMs: 1000, glideMs: 400);
        for (int i = 0; i + 320 <= pcm.Length; i += 320)
        {
            tracker.Process(pcm.AsSpan(i, 320), speech: true);
        }

        // Silence after the speech does not change the verdict.
        tracker.Process(new short[320], speech: false);
        var final = tracker.Final();

        Assert.Equal(expected, final.Movement);
        Assert.InRange(final.SlopeSemitonesPerSecond, semitonesPerSecond - 3, semitonesPerSecond + 3);
    }

    [Fact]
    public void Pitch_tracker_has_no_verdict_without_voiced_speech()
    {
        var tracker = new FinalPitchTracker();
        var noise = new Random(7);
        var frame = new short[320];
        for (int f = 0; f < 30; f++)
        {
            for (int i = 0; i < frame.Length; i++)
            {
                frame[i] = (short)noise.Next(-3000, 3000);
            }

            tracker.Process(frame, speech: true);
        }

        Assert.Equal(PitchMovement.Unknown, tracker.Final().Movement);
    }

    /// <summary>A glottal-pulse-like harmonic buzz (16 kHz) whose F0 is flat, then glides over the last part.</summary>
    private static short[] Glide(double f0, double semitonesPerSecond, int totalMs, int glideMs)
    {
        int n = totalMs * 16;
        int glideStart = (totalMs - glideMs) * 16;
        var pcm = new short[n];
        double phase = 0;
        for (int i = 0; i < n; i++)
        {
            double t = Math.Max(0, i - glideStart) / 16000.0;
            double f = f0 * Math.Pow(2, semitonesPerSecond * t / 12);
            phase += 2 * Math.PI * f / 16000;
            double s = 0;
            for (int h = 1; h <= 8; h++)
            {
                s += Math.Sin(h * phase) / h;
            }

            pcm[i] = (short)(s * 6000);
        }

        return pcm;
    }
}

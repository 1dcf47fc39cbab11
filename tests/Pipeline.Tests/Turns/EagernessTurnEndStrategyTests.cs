using MediaServer.Pipeline.Turns;

namespace MediaServer.Pipeline.Tests.Turns;

public sealed class EagernessTurnEndStrategyTests
{
    /// <summary>A model that answers when the test says so.</summary>
    private sealed class ScriptedScorer : IEndOfTurnScorer
    {
        public List<(EndOfTurnContext Context, TaskCompletionSource<float?> Answer)> Asked { get; } = [];

        public string Name => "scripted";

        public ValueTask<float?> ScoreAsync(EndOfTurnContext context, CancellationToken cancellationToken)
        {
            var answer = new TaskCompletionSource<float?>(TaskCreationOptions.RunContinuationsAsynchronously);
            Asked.Add((context, answer));
            return new ValueTask<float?>(answer.Task);
        }
    }

    private static long Run(ServerVadTurnDetector detector, ref long t, float probability, int ms, Action<long>? each = null)
    {
        var frame = new short[320];
        for (int i = 0; i < ms / 20; i++)
        {
            t += 20;
            each?.Invoke(t);
            if (detector.Process(frame, probability, t).Kind == TurnEventKind.SpeechStopped)
            {
                return t;
            }
        }

        return -1;
    }

    [Fact]
    public void Reads_the_streaming_transcript_at_the_pause_and_rescores_when_it_changes()
    {
        var detector = ServerVadTurnDetector.ForSemanticVad(Eagerness.Medium);
        var strategy = (EagernessTurnEndStrategy)detector.EndStrategy;
        string partial = "i would like a pizza and";
        strategy.Transcript = () => partial;
        long t = 0;
        Run(detector, ref t, 0.9f, 1000);

        // The recogniser's last word arrives late: "and" is read first (hold), then the full sentence (go).
        long stopped = Run(detector, ref t, 0.05f, 5000, now => partial = now >= 1700 ? "i would like a pizza and a salad" : partial);

        Assert.True(strategy.LastScore > 0.8f);
        Assert.InRange(stopped - 1000, 700, 900);
    }

    [Fact]
    public void A_transcript_behind_the_pause_is_not_judged_until_it_catches_up()
    {
        var detector = ServerVadTurnDetector.ForSemanticVad(Eagerness.High);
        var strategy = (EagernessTurnEndStrategy)detector.EndStrategy;
        // The recogniser has only decoded "... pizza" (sounds complete) while "and" waits in its backlog.
        string partial = "i would like a large pizza";
        int lagMs = 1200;
        strategy.Transcript = () => partial;
        strategy.TranscriptLagMs = () => lagMs;
        long t = 0;
        Run(detector, ref t, 0.9f, 1000);

        long stopped = Run(detector, ref t, 0.05f, 5000, now =>
        {
            if (now >= 1900)
            {
                // Caught up: the trailing "and" is heard, so the turn is held further.
                partial = "i would like a large pizza and";
                lagMs = 100;
            }
        });

        Assert.True(stopped - 1000 > 900, $"ended {stopped - 1000} ms into the pause, on a transcript that had not reached it");
        Assert.True(strategy.LastScore < 0.5f, $"scored {strategy.LastScore} on the caught-up transcript");
    }

    [Fact]
    public void A_recogniser_that_never_catches_up_still_ends_the_turn_at_the_eagerness_bound()
    {
        var detector = ServerVadTurnDetector.ForSemanticVad(Eagerness.High);
        var strategy = (EagernessTurnEndStrategy)detector.EndStrategy;
        strategy.Transcript = () => "what time is it";
        strategy.TranscriptLagMs = () => 60_000;
        long t = 0;
        Run(detector, ref t, 0.9f, 1000);

        long stopped = Run(detector, ref t, 0.05f, 5000);

        Assert.InRange(stopped - 1000, EagernessPolicy.High.MaxWaitMs, EagernessPolicy.High.MaxWaitMs + 100);
    }

    [Fact]
    public void A_slow_model_leaves_the_heuristics_in_charge_until_it_answers()
    {
        var scorer = new ScriptedScorer();
        var detector = ServerVadTurnDetector.ForSemanticVad(Eagerness.High, scorer);
        var strategy = (EagernessTurnEndStrategy)detector.EndStrategy;
        strategy.Transcript = () => "i want to go to the";
        long t = 0;
        Run(detector, ref t, 0.9f, 1000);

        // At the 300 ms pause the model is asked; the heuristics ("the": unfinished) hold the turn meanwhile.
        Assert.Equal(-1, Run(detector, ref t, 0.05f, 600));
        var (context, answer) = Assert.Single(scorer.Asked);
        Assert.Equal("i want to go to the", context.Transcript);
        Assert.True(strategy.LastScore < 0.3f);

        // The model says the turn is complete: the next frame ends it.
        answer.SetResult(0.95f);
        Assert.Equal(1000 + 620, Run(detector, ref t, 0.05f, 100));
    }

    [Fact]
    public void A_model_that_fails_or_has_no_opinion_keeps_the_fallback_score()
    {
        var scorer = new ScriptedScorer();
        var detector = ServerVadTurnDetector.ForSemanticVad(Eagerness.High, scorer);
        var strategy = (EagernessTurnEndStrategy)detector.EndStrategy;
        strategy.Transcript = () => "i want to go to the";
        long t = 0;
        Run(detector, ref t, 0.9f, 1000);
        Run(detector, ref t, 0.05f, 400);
        scorer.Asked[0].Answer.SetResult(null);

        // Still held to the heuristics' long wait (0.1 complete: 300 + 0.81 * 1700 ms), not ended as "no evidence".
        long stopped = Run(detector, ref t, 0.05f, 3000);
        Assert.Equal(1000 + 1680, stopped);
    }

    [Fact]
    public void Speech_after_a_pause_asks_again_at_the_next_pause()
    {
        var scorer = new ScriptedScorer();
        var detector = ServerVadTurnDetector.ForSemanticVad(Eagerness.Low, scorer);
        var strategy = (EagernessTurnEndStrategy)detector.EndStrategy;
        string partial = "so";
        strategy.Transcript = () => partial;
        long t = 0;
        Run(detector, ref t, 0.9f, 600);
        Run(detector, ref t, 0.05f, 1000);
        partial = "so i went home";
        Run(detector, ref t, 0.9f, 600);
        Run(detector, ref t, 0.05f, 1000);

        Assert.Equal(["so", "so i went home"], scorer.Asked.Select(a => a.Context.Transcript));
        Assert.True(scorer.Asked[0].Answer.Task.IsCompleted is false);
    }
}

using System.Text.Json.Nodes;
using MediaServer.Signaling.Realtime.Inworld;

namespace MediaServer.Signaling.Tests.Realtime.Inworld;

public sealed class BackchannelRuleDeciderTests
{
    private static readonly BackchannelSettings Settings = new()
    {
        Enabled = true,
        DeciderKind = "rule",
        EvalIntervalMs = 100,
        MinSpeechMs = 800,
        MinGapMs = 2000,
        MaxPerTurn = 2,
        AllowedPhrases = ["mm-hmm", "right"],
    };

    [Fact]
    public void NothingBeforeMinimumSpeechThenFiresAndRotatesPhrases()
    {
        var decider = new BackchannelRuleDecider(() => 0);
        decider.StartTurn(1000);
        Assert.Equal(BackchannelVerdict.Wait, decider.Evaluate(Settings, 1500, 1500, true).Verdict);

        var first = decider.Evaluate(Settings, 1800, 1800, true);
        Assert.Equal((BackchannelVerdict.Fire, "mm-hmm"), (first.Verdict, first.Phrase));
        decider.RecordFired(1800);

        // The gap holds back the next one; after it the phrase rotates.
        Assert.Equal(BackchannelVerdict.Wait, decider.Evaluate(Settings, 3700, 3700, true).Verdict);
        var second = decider.Evaluate(Settings, 3800, 3800, true);
        Assert.Equal((BackchannelVerdict.Fire, "right"), (second.Verdict, second.Phrase));
        decider.RecordFired(3800);

        // The cap is reported once, then the decider stays quiet for the turn.
        var capped = decider.Evaluate(Settings, 9000, 9000, true);
        Assert.Equal((BackchannelVerdict.Skip, "max_per_turn"), (capped.Verdict, capped.Reason));
        Assert.Equal(BackchannelVerdict.Wait, decider.Evaluate(Settings, 9500, 9500, true).Verdict);
    }

    [Fact]
    public void RequirePauseWaitsForSilence()
    {
        var decider = new BackchannelRuleDecider(() => 0);
        decider.StartTurn(0);
        var settings = Settings with { RequirePause = true };
        Assert.Equal(BackchannelVerdict.Wait, decider.Evaluate(settings, 1000, 950, true).Verdict);
        Assert.Equal(BackchannelVerdict.Fire, decider.Evaluate(settings, 1300, 1000, true).Verdict);
    }

    [Fact]
    public void ProbabilityDeclinesAreReportedAtMostOncePerInterval()
    {
        var decider = new BackchannelRuleDecider(() => 0.9);
        decider.StartTurn(0);
        var settings = Settings with { RuleFireProbability = 0.5 };
        Assert.Equal((BackchannelVerdict.Skip, "rule_declined"), Pair(decider.Evaluate(settings, 1000, 1000, true)));
        Assert.Equal(BackchannelVerdict.Wait, decider.Evaluate(settings, 1020, 1020, true).Verdict);
        Assert.Equal(BackchannelVerdict.Skip, decider.Evaluate(settings, 1100, 1100, true).Verdict);
    }

    [Fact]
    public void LlmDeciderGetsEligibilityWithoutAPhrase()
    {
        var decider = new BackchannelRuleDecider(() => 0.99);
        decider.StartTurn(0);
        var eligible = decider.Evaluate(Settings with { RuleFireProbability = 0 }, 1000, 1000, ruleDecides: false);
        Assert.Equal((BackchannelVerdict.Fire, null), (eligible.Verdict, eligible.Phrase));
    }

    [Fact]
    public void OutsideATurnOrWhenDisabledNothingHappens()
    {
        var decider = new BackchannelRuleDecider(() => 0);
        Assert.Equal(BackchannelVerdict.Wait, decider.Evaluate(Settings, 5000, 5000, true).Verdict);
        decider.StartTurn(0);
        Assert.Equal(BackchannelVerdict.Wait, decider.Evaluate(Settings with { Enabled = false }, 5000, 5000, true).Verdict);
        decider.EndTurn();
        Assert.Equal(BackchannelVerdict.Wait, decider.Evaluate(Settings, 6000, 6000, true).Verdict);
    }

    [Fact]
    public void SettingsReadInworldFieldsAndIgnoreBadValues()
    {
        var providerData = JsonNode.Parse("""
            {"backchannel":{"enabled":true,"decider_kind":"rule","min_speech_ms":500,"min_gap_ms":"soon","max_per_turn":-3,
             "volume_gain":0.25,"require_pause":true,"allowed_phrases":["yeah", "", 7],"hard_deadline_ms":900}}
            """)!.AsObject();
        var s = BackchannelSettings.Read(providerData);
        Assert.True(s.Enabled);
        Assert.Equal("rule", s.DeciderKind);
        Assert.Equal(500, s.MinSpeechMs);
        Assert.Equal(4000, s.MinGapMs); // not a number: the default
        Assert.Equal(3, s.MaxPerTurn); // out of range: the default
        Assert.Equal(0.25, s.VolumeGain);
        Assert.True(s.RequirePause);
        Assert.Equal(["yeah"], s.AllowedPhrases);
        Assert.Equal(900, s.HardDeadlineMs);
        Assert.False(BackchannelSettings.Read(null).Enabled);
        Assert.Equal("llm", BackchannelSettings.Read(null).DeciderKind);
    }

    [Theory]
    [InlineData("Mm-hmm.", "mm-hmm")]
    [InlineData("  RIGHT!", "right")]
    [InlineData("NONE", null)]
    [InlineData("none of those, sorry", null)]
    [InlineData("I think you should stop", null)]
    [InlineData("", null)]
    public void LlmAnswerIsReadAsAnAllowedPhraseOrNothing(string answer, string? phrase) =>
        Assert.Equal(phrase, BackchannelPrompt.Read(Settings, answer));

    [Fact]
    public void PromptTemplateIsFilledIn()
    {
        var settings = Settings with { PromptTemplate = "Say {phrases} about: {transcript}" };
        var messages = BackchannelPrompt.Build(settings, "user: hi", "so yesterday I");
        Assert.Equal("Say mm-hmm, right about: so yesterday I", messages[0].Text);
        Assert.Contains("user: hi", messages[1].Text, StringComparison.Ordinal);
    }

    private static (BackchannelVerdict, string?) Pair(BackchannelDecision d) => (d.Verdict, d.Reason);
}

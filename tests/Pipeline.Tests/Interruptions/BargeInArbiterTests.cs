using MediaServer.Pipeline.Interruptions;

namespace MediaServer.Pipeline.Tests.Interruptions;

public sealed class BargeInArbiterTests
{
    private static readonly EchoEstimate NoEcho = new(true, 0.1f, 100);
    private static readonly EchoEstimate Echo = new(true, 0.95f, 100);

    private static BargeInFrame Speech(long endMs, bool voiced = true, EchoEstimate? echo = null) =>
        new(endMs, 0.9f, -25, voiced, echo ?? NoEcho);

    private static BargeInFrame Quiet(long endMs) => new(endMs, 0.05f, -70, false, NoEcho);

    [Fact]
    public void Long_voiced_speech_interrupts_at_the_minimum_duration()
    {
        var arbiter = new BargeInArbiter();
        long t = 0;
        for (; t < 1000; t += 20)
        {
            arbiter.Process(Quiet(t + 20));
        }

        Assert.Equal(InterruptionKind.Undecided, arbiter.Begin(1000));
        InterruptionKind kind = InterruptionKind.Undecided;
        for (; kind == InterruptionKind.Undecided; t += 20)
        {
            kind = arbiter.Process(Speech(t + 20));
        }

        Assert.Equal(InterruptionKind.Interruption, kind);
        Assert.Equal(1000 + new BargeInOptions().MinInterruptionMs, arbiter.DecidedAtMs);
    }

    [Fact]
    public void Frames_before_the_onset_report_are_counted_from_the_history()
    {
        var arbiter = new BargeInArbiter();
        for (long t = 0; t < 900; t += 20)
        {
            arbiter.Process(Speech(t + 20));
        }

        Assert.Equal(InterruptionKind.Interruption, arbiter.Begin(0)); // 900 ms already heard
    }

    [Fact]
    public void A_short_voiced_sound_is_a_backchannel_and_an_unvoiced_one_noise()
    {
        var arbiter = new BargeInArbiter();
        arbiter.Begin(0);
        for (long t = 0; t < 400; t += 20)
        {
            Assert.Equal(InterruptionKind.Undecided, arbiter.Process(Speech(t + 20)));
        }

        Assert.Equal(InterruptionKind.Backchannel, arbiter.End());

        arbiter.Begin(1000);
        for (long t = 1000; t < 2500; t += 20)
        {
            Assert.Equal(InterruptionKind.Undecided, arbiter.Process(Speech(t + 20, voiced: false)));
        }

        Assert.Equal(InterruptionKind.Noise, arbiter.End());
    }

    [Fact]
    public void Echo_explained_speech_never_interrupts_and_is_classified_as_echo()
    {
        var arbiter = new BargeInArbiter();
        arbiter.Begin(0);
        for (long t = 0; t < 5000; t += 20)
        {
            Assert.Equal(InterruptionKind.Undecided, arbiter.Process(Speech(t + 20, echo: Echo)));
        }

        Assert.Equal(InterruptionKind.Echo, arbiter.End());
    }

    [Fact]
    public void Content_words_interrupt_early_but_backchannel_words_extend_the_wait()
    {
        var options = new BargeInOptions();
        var arbiter = new BargeInArbiter(options);
        arbiter.Begin(0);
        long t = 0;
        for (; t < options.MinWordsSpeechMs; t += 20)
        {
            arbiter.Process(Speech(t + 20));
        }

        Assert.Equal(InterruptionKind.Interruption, arbiter.UpdateTranscript("wait stop talking", t));

        arbiter.Begin(10_000);
        for (t = 10_000; t < 10_000 + options.MinInterruptionMs + 200; t += 20)
        {
            arbiter.UpdateTranscript("yeah yeah right", t);
            Assert.Equal(InterruptionKind.Undecided, arbiter.Process(Speech(t + 20)));
        }

        Assert.Equal(InterruptionKind.Backchannel, arbiter.End());
    }

    [Fact]
    public void Words_heard_mostly_in_echo_are_the_agents_and_do_not_interrupt_early()
    {
        var arbiter = new BargeInArbiter();
        arbiter.Begin(0);
        for (long t = 0; t < 2000; t += 20)
        {
            arbiter.Process(Speech(t + 20, echo: Echo));
        }

        for (long t = 2000; t < 2400; t += 20)
        {
            arbiter.Process(Speech(t + 20));
        }

        Assert.Equal(InterruptionKind.Undecided, arbiter.UpdateTranscript("thanks for calling your order shipped", 2400));
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BargeInArbiter(new BargeInOptions { EchoSimilarity = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BargeInArbiter(new BargeInOptions { MinVoicedMs = 5000 }));
    }
}

public sealed class BargeInArbiterPauseTests
{
    [Fact]
    public void Short_sounds_separated_by_pauses_do_not_add_up_to_an_interruption()
    {
        var arbiter = new BargeInArbiter();
        arbiter.Begin(0);
        for (int burst = 0; burst < 5; burst++)
        {
            long start = burst * 1000L;
            for (long t = start; t < start + 500; t += 20)
            {
                Assert.Equal(InterruptionKind.Undecided, arbiter.Process(new BargeInFrame(t + 20, 0.9f, -25, true, EchoEstimate.None)));
            }

            for (long t = start + 500; t < start + 1000; t += 20)
            {
                arbiter.Process(new BargeInFrame(t + 20, 0.9f, -25, true, new EchoEstimate(true, 0.95f, 100)));
            }
        }

        Assert.Equal(InterruptionKind.Backchannel, arbiter.End());
    }
}

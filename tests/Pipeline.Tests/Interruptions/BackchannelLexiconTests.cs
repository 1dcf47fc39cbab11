using MediaServer.Pipeline.Interruptions;

namespace MediaServer.Pipeline.Tests.Interruptions;

public sealed class BackchannelLexiconTests
{
    [Theory]
    [InlineData("yeah", 0, 1)]
    [InlineData("uh-huh", 0, 1)]
    [InlineData("Mm-hmm, right.", 0, 2)]
    [InlineData("n h a", 0, 3)]
    [InlineData("<sil> [NOISE] yeah ++BREATH++", 0, 1)]
    [InlineData("wait stop talking", 3, 0)]
    [InlineData("yeah but what about Tuesday", 4, 1)]
    [InlineData("", 0, 0)]
    public void Counts_content_and_backchannel_words(string transcript, int content, int backchannel)
    {
        Assert.Equal(content, BackchannelLexicon.CountContentWords(transcript, out int bc));
        Assert.Equal(backchannel, bc);
    }
}

public sealed class FalseInterruptionMonitorTests
{
    [Fact]
    public void No_words_by_the_deadline_means_resume_once()
    {
        var monitor = new FalseInterruptionMonitor();
        monitor.Arm(1000, 2000);
        Assert.False(monitor.CheckDeadline(2980, ""));
        Assert.True(monitor.CheckDeadline(3000, "[NOISE]"));
        Assert.False(monitor.Armed);
        Assert.False(monitor.CheckDeadline(3020, ""));
    }

    [Fact]
    public void Words_disarm_it()
    {
        var monitor = new FalseInterruptionMonitor();
        monitor.Arm(0, 2000);
        Assert.False(monitor.CheckDeadline(500, "hold on"));
        Assert.False(monitor.Armed);
        Assert.False(monitor.CheckDeadline(5000, ""));
    }

    [Fact]
    public void A_sound_that_ends_without_words_is_a_false_interruption()
    {
        var monitor = new FalseInterruptionMonitor();
        monitor.Arm(0, 2000);
        Assert.True(monitor.OnSoundEnded("mm"));
        monitor.Arm(0, 2000);
        Assert.False(monitor.OnSoundEnded("what time is it"));
        Assert.False(monitor.OnSoundEnded(""));
    }
}

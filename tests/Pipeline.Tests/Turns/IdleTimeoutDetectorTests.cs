using MediaServer.Pipeline.Turns;

namespace MediaServer.Pipeline.Tests.Turns;

public sealed class IdleTimeoutDetectorTests
{
    private static (long Start, long End, long At)? RunSilence(IdleTimeoutDetector idle, long fromMs, long toMs, TurnState state = TurnState.Quiet)
    {
        for (long t = fromMs + 20; t <= toMs; t += 20)
        {
            if (idle.Process(t, state, out long start, out long end))
            {
                return (start, end, t);
            }
        }

        return null;
    }

    [Fact]
    public void Fires_once_when_silence_after_playback_reaches_the_timeout()
    {
        var idle = new IdleTimeoutDetector(6000);
        idle.Arm(playbackEndMs: 10_000);
        var fired = RunSilence(idle, 8000, 20_000);
        Assert.Equal((10_000L, 16_000L, 16_000L), fired);
        Assert.False(idle.IsArmed);
        Assert.Null(RunSilence(idle, 16_000, 30_000));
    }

    [Fact]
    public void Waits_for_playback_that_ends_after_the_current_input_position()
    {
        // Over WebSocket, response.done arrives while the client still has seconds of audio to play.
        var idle = new IdleTimeoutDetector(5000);
        idle.Arm(playbackEndMs: 7000);
        var fired = RunSilence(idle, 2000, 20_000);
        Assert.Equal(12_000L, fired?.At);
    }

    [Fact]
    public void User_speech_disarms_it()
    {
        var idle = new IdleTimeoutDetector(5000);
        idle.Arm(1000);
        Assert.Null(RunSilence(idle, 1000, 3000));
        Assert.False(idle.Process(3020, TurnState.Speaking, out _, out _));
        Assert.False(idle.IsArmed);
        Assert.Null(RunSilence(idle, 3020, 20_000));
    }

    [Fact]
    public void A_possible_start_of_speech_holds_it_without_disarming()
    {
        var idle = new IdleTimeoutDetector(1000);
        idle.Arm(0);
        Assert.Null(RunSilence(idle, 0, 1500, TurnState.Starting));
        Assert.True(idle.IsArmed);
        Assert.Equal(1520L, RunSilence(idle, 1500, 2000)?.At);
    }

    [Fact]
    public void Disarm_and_invalid_timeouts()
    {
        var idle = new IdleTimeoutDetector(1000);
        idle.Arm(0);
        idle.Disarm();
        Assert.Null(RunSilence(idle, 0, 5000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdleTimeoutDetector(0));
    }
}

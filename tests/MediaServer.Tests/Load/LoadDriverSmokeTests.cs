using MediaServer.Load;

namespace MediaServer.Tests.Load;

/// <summary>
/// Keeps the load driver (<c>bench/Load</c>) from rotting: one WebSocket session on the stub engines for a few
/// seconds, measured the way a ramp step is. It asserts that the measurement happened (the server counted the
/// session's frames and the driver read them back), never how fast it was.
/// </summary>
public sealed class LoadDriverSmokeTests
{
    [Fact]
    public async Task One_websocket_session_is_measured_from_the_servers_side()
    {
        var clip = await SpeechClip.CreateAsync();
        await using var server = await ServerUnderTest.StartAsync("stub");
        var lines = new List<string>();

        var result = await StepRunner.RunAsync(server, "ws", "stub", 1, TimeSpan.FromSeconds(3), () => new WebSocketLoad(server, clip), lines.Add);

        Assert.Equal(1, result.Live);
        // 3 s of 20 ms chunks is 150; allow for the window's edges and a slow machine.
        Assert.InRange(result.Frames, 50, 400);
        Assert.False(double.IsNaN(result.FrameP50Ms));
        Assert.True(result.FrameP99Ms >= result.FrameP50Ms);
        Assert.True(result.CpuPerCallPercent > 0);
        Assert.Equal(0, result.Errors);
        Assert.Contains(lines, l => l.StartsWith("| WebSocket", StringComparison.Ordinal));
        Assert.Equal(0, await server.LiveAsync());
    }

    [Fact]
    public void Refuses_unknown_scenarios_and_engines()
    {
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--scenario", "tcp"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--engine", "cloud"]));
        Assert.Equal(TimeSpan.FromMinutes(30), LoadOptions.Parse(["--soak", "30m"]).Soak);
    }
}

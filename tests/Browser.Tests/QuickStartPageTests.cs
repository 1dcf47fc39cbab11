using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaServer.Browser.Tests;

/// <summary>
/// Debian's headless Chromium runs the minimal page that does what OpenAI's WebRTC quick start does (ephemeral key,
/// offer to <c>POST /v1/realtime/calls</c>, <c>oai-events</c> channel) against the real server: the transcript arrives on
/// the data channel and <c>getStats()</c> shows the agent's audio arriving with a non-zero level.
/// </summary>
public sealed class QuickStartPageTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Chromium_quick_start_hears_the_agent_and_reads_the_transcript_on_the_data_channel()
    {
        await using var browser = await ConsoleBrowser.LaunchAsync(FakeMicrophone.Wav("what time is it"));
        var page = browser.Page;
        await page.GotoAsync(new Uri(_server.HttpBase, "/quickstart.html").ToString());
        await page.ClickAsync("#start");
        try
        {
            await page.WaitForFunctionAsync("() => document.getElementById('answer').textContent.length > 0",
                null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no answer; status {await page.InputValueAsync("#status")}\n{browser.ConsoleOutput}\n{_server.Output[^Math.Min(3000, _server.Output.Length)..]}");
        }

        string transcript = await page.TextContentAsync("#transcript") ?? "";
        Assert.Contains("time", transcript, StringComparison.Ordinal);
        Assert.StartsWith("It is", (await page.TextContentAsync("#answer"))!.Trim(), StringComparison.Ordinal);
        var events = await page.EvaluateAsync<string[]>("() => window.events");
        Assert.Equal("session.created", events[0]);
        Assert.Contains("output_audio_buffer.started", events);

        // Let the agent's audio play, then read Chromium's own statistics for the inbound audio track.
        await page.WaitForTimeoutAsync(1500);
        var stats = await page.EvaluateAsync<StatsView>("""
            async () => {
              const report = await window.pc.getStats();
              let s = { packetsReceived: 0, audioLevel: 0, totalAudioEnergy: 0 };
              report.forEach(r => {
                if (r.type === 'inbound-rtp' && r.kind === 'audio') {
                  s = { packetsReceived: r.packetsReceived, audioLevel: r.audioLevel || 0, totalAudioEnergy: r.totalAudioEnergy || 0 };
                }
              });
              return s;
            }
            """);
        Assert.True(stats.PacketsReceived > 50, $"inbound packets {stats.PacketsReceived}");
        Assert.True(stats.TotalAudioEnergy > 0, $"agent audio energy {stats.TotalAudioEnergy}, level {stats.AudioLevel}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserArtifacts.Directory, "quickstart.png") });
    }

    public sealed class StatsView
    {
        public long PacketsReceived { get; set; }

        public double AudioLevel { get; set; }

        public double TotalAudioEnergy { get; set; }
    }
}

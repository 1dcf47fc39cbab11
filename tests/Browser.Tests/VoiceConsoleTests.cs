using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaServer.Browser.Tests;

/// <summary>
/// The console at <c>/</c> in real headless Chromium against the real server: a person presses Talk, the fake
/// microphone asks "what time is it", and the page shows what was heard and what the agent answered.
/// </summary>
public sealed class VoiceConsoleTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const int TurnTimeoutMs = 45_000;

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task WebRtc_call_shows_both_sides_applies_eagerness_live_is_listed_and_hangs_up()
    {
        await using var browser = await ConsoleBrowser.LaunchAsync(FakeMicrophone.Wav("what time is it"));
        var page = browser.Page;
        await browser.OpenAsync(Server);
        await browser.ScreenshotAsync("01-idle");
        try
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Talk", Exact = true }).ClickAsync();
            var callState = page.Locator("#call-state");
            await Assertions.Expect(callState).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 20_000 });
            string callId = await callState.GetAttributeAsync("data-call-id") ?? "";
            Assert.StartsWith("rtc_", callId);

            // The user's words, transcribed by the server, and the agent's spoken answer, as streamed text.
            var userTurn = page.Locator("#turns .turn.user .text").Filter(new() { HasTextRegex = new("time") }).First;
            await Assertions.Expect(userTurn).ToBeVisibleAsync(new() { Timeout = TurnTimeoutMs });
            var agentTurn = page.Locator("#turns .turn.agent .text").Filter(new() { HasTextRegex = new(@"^It is \d{1,2}:\d{2}") }).First;
            await Assertions.Expect(agentTurn).ToBeVisibleAsync(new() { Timeout = TurnTimeoutMs });
            await Assertions.Expect(page.Locator("#event-log")).ToContainTextAsync("output_audio_buffer.started");

            // The agent's voice reached the page's audio element.
            double agentLevel = await AgentPeakAsync(page);
            output.WriteLine($"agent meter peak: {agentLevel:F2}");
            Assert.True(agentLevel > 0.05, $"the agent's track stayed silent in the page (meter peak {agentLevel:F2})");
            Assert.NotNull(await page.EvaluateAsync<object?>("() => document.getElementById('agent-audio').srcObject"));

            await browser.ScreenshotAsync("02-conversation");

            // Eagerness is a semantic VAD setting: switch the turn detector, then make it eager, live.
            await page.GetByLabel("Turn detection").SelectOptionAsync("semantic_vad");
            var sessionState = page.Locator("#session-state");
            await Assertions.Expect(sessionState).ToContainTextAsync("Session updated", new() { Timeout = 10_000 });
            await Assertions.Expect(sessionState).ToContainTextAsync("semantic_vad, eagerness auto");
            await page.GetByLabel("Eagerness").SelectOptionAsync("high");
            await Assertions.Expect(sessionState).ToContainTextAsync("semantic_vad, eagerness high", new() { Timeout = 10_000 });
            await Assertions.Expect(sessionState).ToHaveAttributeAsync("data-state", "applied");

            // The calls view lists this call with its transport and media figures, marked as the page's own.
            var row = page.Locator($"#calls-body tr[data-call-id='{callId}']");
            await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 5_000 });
            await Assertions.Expect(row.Locator(".transport")).ToHaveTextAsync("WebRTC");
            await Assertions.Expect(row.Locator(".codec")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("(?i)opus"));
            await Assertions.Expect(row.Locator(".own")).ToBeVisibleAsync();
            await Assertions.Expect(row.Locator(".jitter")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d ms$"));
            await browser.ScreenshotAsync("03-calls-and-session-updated");
            await Axe.AssertNoSeriousViolationsAsync(page, output, "live WebRTC call");

            // Attach: the sideband socket shows the call's session and its events.
            await row.GetByRole(AriaRole.Button, new() { Name = $"Attach to call {callId}" }).ClickAsync();
            await Assertions.Expect(page.Locator("#monitor-log")).ToContainTextAsync("session.created", new() { Timeout = 10_000 });
            await Assertions.Expect(page.Locator("#monitor-heading")).ToHaveTextAsync($"Attached to {callId}");
            var summary = page.Locator("#monitor-log li").Filter(new() { HasText = "session.created" }).First;
            await Assertions.Expect(summary).ToContainTextAsync("eagerness high");
            await browser.ScreenshotAsync("04-attached");

            // Hang up: the page ends the call and the calls view drops it.
            await page.GetByRole(AriaRole.Button, new() { Name = "Hang up", Exact = true }).ClickAsync();
            await Assertions.Expect(callState).ToHaveAttributeAsync("data-state", "ended", new() { Timeout = 10_000 });
            await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 10_000 });
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Talk", Exact = true })).ToBeEnabledAsync();
            await Assertions.Expect(page.Locator("#turns .turn.streaming")).ToHaveCountAsync(0);
            await browser.ScreenshotAsync("05-hung-up");
            await ExpectNoOwnCallAsync(callId);
        }
        catch
        {
            await browser.ScreenshotAsync("failed-webrtc");
            output.WriteLine(browser.ConsoleOutput);
            output.WriteLine(Server.Output[^Math.Min(4000, Server.Output.Length)..]);
            throw;
        }
    }

    [Fact]
    public async Task WebSocket_mode_streams_the_microphone_and_plays_the_answer()
    {
        await using var browser = await ConsoleBrowser.LaunchAsync(FakeMicrophone.Wav("what time is it"));
        var page = browser.Page;
        await browser.OpenAsync(Server);
        try
        {
            await page.GetByLabel("WebSocket (fallback)").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Talk", Exact = true }).ClickAsync();
            var callState = page.Locator("#call-state");
            await Assertions.Expect(callState).ToHaveAttributeAsync("data-transport", "websocket", new() { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("#session-state")).ToContainTextAsync("Session updated", new() { Timeout = 10_000 });
            string sessionId = await callState.GetAttributeAsync("data-call-id") ?? "";
            Assert.StartsWith("sess_", sessionId);

            await Assertions.Expect(page.Locator("#turns .turn.user .text").Filter(new() { HasTextRegex = new("time") }).First)
                .ToBeVisibleAsync(new() { Timeout = TurnTimeoutMs });
            await Assertions.Expect(page.Locator("#turns .turn.agent .text").Filter(new() { HasTextRegex = new(@"^It is \d{1,2}:\d{2}") }).First)
                .ToBeVisibleAsync(new() { Timeout = TurnTimeoutMs });
            await Assertions.Expect(page.Locator("#event-log")).ToContainTextAsync("response.output_audio.delta");

            // The answer's PCM was played through the page's audio graph: the agent meter moved.
            double peak = await AgentPeakAsync(page);
            output.WriteLine($"agent meter peak: {peak:F2}");
            Assert.True(peak > 0.05, $"no agent audio was played from response.output_audio.delta (meter peak {peak:F2})");

            // A WebSocket session is listed too, without call controls.
            var row = page.Locator($"#calls-body tr[data-call-id='{sessionId}']");
            await Assertions.Expect(row.Locator(".transport")).ToHaveTextAsync("WebSocket", new() { Timeout = 5_000 });
            await Assertions.Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
            await browser.ScreenshotAsync("06-websocket");

            await page.GetByRole(AriaRole.Button, new() { Name = "Hang up", Exact = true }).ClickAsync();
            await Assertions.Expect(callState).ToHaveAttributeAsync("data-state", "ended", new() { Timeout = 10_000 });
            await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        }
        catch
        {
            await browser.ScreenshotAsync("failed-websocket");
            output.WriteLine(browser.ConsoleOutput);
            output.WriteLine(Server.Output[^Math.Min(4000, Server.Output.Length)..]);
            throw;
        }
    }

    [Fact]
    public async Task With_turn_detection_off_the_agent_answers_only_when_asked()
    {
        await using var browser = await ConsoleBrowser.LaunchAsync(FakeMicrophone.Wav("what time is it", leadSeconds: 0.5, tailSeconds: 1.0));
        var page = browser.Page;
        await browser.OpenAsync(Server);
        try
        {
            await page.GetByLabel("Turn detection").SelectOptionAsync("none");
            await page.GetByRole(AriaRole.Button, new() { Name = "Talk", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("#session-state")).ToContainTextAsync("turn detection off", new() { Timeout = 20_000 });
            var reply = page.GetByRole(AriaRole.Button, new() { Name = "Reply now" });
            await Assertions.Expect(reply).ToBeVisibleAsync();

            // Let the microphone say its question a few times: nothing answers on its own.
            await page.WaitForTimeoutAsync(4_000);
            await Assertions.Expect(page.Locator("#turns .turn.agent")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#event-log")).Not.ToContainTextAsync("response.created");

            await reply.ClickAsync();
            await Assertions.Expect(page.Locator("#event-log")).ToContainTextAsync("input_audio_buffer.committed", new() { Timeout = 10_000 });
            await Assertions.Expect(page.Locator("#turns .turn.agent .text").First).Not.ToBeEmptyAsync(new() { Timeout = TurnTimeoutMs });
            await Assertions.Expect(page.Locator("#turns .turn.user .text").First).ToContainTextAsync("time", new() { Timeout = TurnTimeoutMs });
            await page.GetByRole(AriaRole.Button, new() { Name = "Hang up", Exact = true }).ClickAsync();
            await Assertions.Expect(reply).ToBeHiddenAsync();
        }
        catch
        {
            await browser.ScreenshotAsync("failed-manual-turns");
            output.WriteLine(browser.ConsoleOutput);
            output.WriteLine(Server.Output[^Math.Min(4000, Server.Output.Length)..]);
            throw;
        }
    }

    [Fact]
    public async Task A_refused_microphone_is_explained_and_no_call_starts()
    {
        await using var browser = await ConsoleBrowser.LaunchAsync(microphoneWav: null, allowMicrophone: false);
        var page = browser.Page;
        await browser.OpenAsync(Server);
        await page.GetByRole(AriaRole.Button, new() { Name = "Talk", Exact = true }).ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("Microphone access was refused", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#call-state")).ToHaveAttributeAsync("data-state", "idle");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Talk", Exact = true })).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#calls-empty")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("07-microphone-refused");
    }

    /// <summary>
    /// The loudest level the agent meter showed since the call started (its <c>data-peak</c>), after waiting up to
    /// 15 s for it to pass 0.05 (the transcript runs ahead of the audio).
    /// </summary>
    private static async Task<double> AgentPeakAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync("() => Number(document.getElementById('agent-level').dataset.peak || 0) > 0.05", null, new() { Timeout = 15_000 });
        }
        catch (PlaywrightException)
        {
            // a timeout: reported by the caller's assertion with the value seen
        }

        string? peak = await page.Locator("#agent-level").GetAttributeAsync("data-peak");
        return double.Parse(peak ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ExpectNoOwnCallAsync(string callId)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.HttpBase, "/v1/realtime/calls"));
        request.Headers.Authorization = new("Bearer", "local");
        using var response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(callId, body, StringComparison.Ordinal);
    }
}

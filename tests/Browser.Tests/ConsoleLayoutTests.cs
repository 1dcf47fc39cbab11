using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaServer.Browser.Tests;

/// <summary>Accessibility (axe, keyboard), the phone-sized layout and the unreachable-server message.</summary>
public sealed class ConsoleLayoutTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violations_on_desktop_and_phone()
    {
        await using (var desktop = await ConsoleBrowser.LaunchAsync(microphoneWav: null))
        {
            await desktop.OpenAsync(Server);
            await Assertions.Expect(desktop.Page.Locator("#calls-state")).ToContainTextAsync("live");
            await Axe.AssertNoSeriousViolationsAsync(desktop.Page, output, "desktop idle");

            // The transfer dialog is part of the page too.
            await desktop.Page.EvaluateAsync("() => document.getElementById('transfer-dialog').showModal()");
            await Axe.AssertNoSeriousViolationsAsync(desktop.Page, output, "transfer dialog");
        }

        await using var phone = await ConsoleBrowser.LaunchAsync(microphoneWav: null, width: 390, height: 844);
        await phone.OpenAsync(Server);
        await Axe.AssertNoSeriousViolationsAsync(phone.Page, output, "phone idle");
        await phone.ScreenshotAsync("08-phone");
    }

    [Fact]
    public async Task On_a_phone_nothing_scrolls_sideways_and_talk_is_on_the_first_screen()
    {
        await using var phone = await ConsoleBrowser.LaunchAsync(microphoneWav: null, width: 390, height: 844);
        await phone.OpenAsync(Server);
        var page = phone.Page;
        int scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the page is {scrollWidth} px wide on a 390 px screen");
        var talk = await page.GetByRole(AriaRole.Button, new() { Name = "Talk", Exact = true }).BoundingBoxAsync();
        Assert.NotNull(talk);
        Assert.True(talk.Y + talk.Height <= 844, $"Talk is below the first screen at y={talk.Y}");
        Assert.True(talk.Height >= 44, $"Talk is {talk.Height} px tall; touch targets need 44 px");
    }

    [Fact]
    public async Task Keyboard_alone_reaches_talk_with_a_visible_focus_ring()
    {
        await using var browser = await ConsoleBrowser.LaunchAsync(microphoneWav: null);
        await browser.OpenAsync(Server);
        var page = browser.Page;
        string? focused = null;
        for (int i = 0; i < 10 && focused != "talk"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            focused = await page.EvaluateAsync<string?>("() => document.activeElement && document.activeElement.id");
        }

        Assert.Equal("talk", focused);
        string outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth");
        Assert.Equal("solid 3px", outline);

        // The skip link jumps to the conversation.
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Locator(".skip-link").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("conversation-heading", await page.EvaluateAsync<string?>("() => document.activeElement && document.activeElement.id"));
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_and_talk_explains_it()
    {
        var own = await ServerProcess.StartAsync();
        await using var browser = await ConsoleBrowser.LaunchAsync(microphoneWav: null);
        try
        {
            await browser.OpenAsync(own);
        }
        catch
        {
            await own.DisposeAsync();
            throw;
        }

        await own.DisposeAsync();
        var page = browser.Page;
        await Assertions.Expect(page.Locator("#server-state")).ToHaveAttributeAsync("data-state", "error", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#server-state")).ToContainTextAsync("Cannot reach the media server");
        await Assertions.Expect(page.Locator("#calls-state")).ToContainTextAsync("Server unreachable");
        await page.GetByRole(AriaRole.Button, new() { Name = "Talk", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Cannot reach the media server", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#call-state")).ToHaveAttributeAsync("data-state", "idle");
        await browser.ScreenshotAsync("09-server-unreachable");
    }
}

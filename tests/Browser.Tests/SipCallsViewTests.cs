using System.Net;
using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaServer.Browser.Tests;

/// <summary>
/// The calls view as an operator uses it on a phone call: SIPp (a real SIP peer) calls in and talks, the console
/// lists the call as SIP/PCMU, Transfer sends a SIP REFER with the URI typed in the dialog, and Hang up sends BYE.
/// SIPp's scenario fails unless the REFER carries that URI and the BYE arrives.
/// </summary>
public sealed class SipCallsViewTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Operator_transfers_and_hangs_up_a_phone_call_from_the_calls_view()
    {
        int sipPort = ServerProcess.FreeTcpPort();
        await using var server = await ServerProcess.StartAsync($"--MediaServer:Sip:Port={sipPort}");
        await using var browser = await ConsoleBrowser.LaunchAsync(microphoneWav: null);
        await browser.OpenAsync(server);
        var page = browser.Page;
        var sipp = RunSippAsync(sipPort);
        try
        {
            var row = page.Locator("#calls-body tr[data-transport='sip']");
            await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 20_000 });
            string callId = await row.GetAttributeAsync("data-call-id") ?? "";
            Assert.StartsWith("rtc_", callId);
            await Assertions.Expect(row.Locator(".transport")).ToHaveTextAsync("SIP");
            await Assertions.Expect(row.Locator(".codec")).ToHaveTextAsync("pcmu");
            await Assertions.Expect(row.Locator(".duration")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+:\d{2}$"));
            await Assertions.Expect(row.Locator(".duration")).Not.ToHaveTextAsync("0:00", new() { Timeout = 10_000 });
            await browser.ScreenshotAsync("11-sip-call");

            await row.GetByRole(AriaRole.Button, new() { Name = $"Transfer call {callId}" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Transfer call" });
            await Assertions.Expect(dialog).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByLabel("Transfer to")).ToBeFocusedAsync();
            await page.GetByLabel("Transfer to").FillAsync("sip:transfer-target@example.com");
            await browser.ScreenshotAsync("12-transfer-dialog");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Transfer", Exact = true }).ClickAsync();
            await Assertions.Expect(dialog).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#calls-message")).ToContainTextAsync($"Transferring {callId} to sip:transfer-target@example.com", new() { Timeout = 5_000 });

            await row.GetByRole(AriaRole.Button, new() { Name = $"Hang up call {callId}" }).ClickAsync();
            await Assertions.Expect(page.Locator($"#calls-body tr[data-call-id='{callId}']")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
            await Assertions.Expect(page.Locator("#calls-message")).ToHaveTextAsync($"Hung up {callId}.");
            var (exit, log) = await sipp.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(exit == 0, "SIPp did not see the REFER to the typed URI and then the BYE:\n" + log);
        }
        catch
        {
            await browser.ScreenshotAsync("failed-sip");
            output.WriteLine(browser.ConsoleOutput);
            output.WriteLine(server.Output[^Math.Min(4000, server.Output.Length)..]);
            throw;
        }
    }

    private static async Task<(int ExitCode, string Log)> RunSippAsync(int sipPort)
    {
        string ulaw = Path.Combine(Path.GetTempPath(), $"browser-caller-{Guid.NewGuid():N}.ulaw");
        await File.WriteAllBytesAsync(ulaw, TestSpeech.Ulaw("hello is anybody there", leadSeconds: 0.5, tailSeconds: 2.0));
        var (exitCode, log) = await SippRunner.RunAsync(
            Path.Combine(TestPaths.RepositoryRoot, "tests", "Browser.Tests", "Scenarios", "sip_transfer_hangup.xml"),
            new IPEndPoint(IPAddress.Loopback, sipPort), new Dictionary<string, string> { ["ulaw_file"] = ulaw }, timeout: TimeSpan.FromSeconds(90));
        return (exitCode, log);
    }
}

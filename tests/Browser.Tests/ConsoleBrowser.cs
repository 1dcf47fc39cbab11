using System.Text;
using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaServer.Browser.Tests;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, never a downloaded browser) driven headless by Playwright, with a fake
/// microphone that plays a WAV in a loop, on a fresh profile. Keeps the page's console and errors for failure messages.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly string _profile;
    private readonly StringBuilder _console = new();

    private ConsoleBrowser(IPlaywright playwright, IBrowserContext context, IPage page, string profile)
    {
        _playwright = playwright;
        _context = context;
        Page = page;
        _profile = profile;
        page.Console += (_, m) => Append($"console.{m.Type}: {m.Text}");
        page.PageError += (_, e) => Append($"pageerror: {e}");
    }

    public IPage Page { get; }

    public string ConsoleOutput
    {
        get
        {
            lock (_console)
            {
                return _console.ToString();
            }
        }
    }

    /// <param name="microphoneWav">The fake microphone's audio; null for Chromium's built-in beep.</param>
    /// <param name="allowMicrophone">False makes Chromium refuse every permission prompt, as a user who clicks Block.</param>
    public static async Task<ConsoleBrowser> LaunchAsync(string? microphoneWav, bool allowMicrophone = true, int width = 1280, int height = 900)
    {
        string profile = Path.Combine(Path.GetTempPath(), "browser-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var args = new List<string>
        {
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required",
            "--allow-loopback-in-peer-connection",
        };
        args.Add(allowMicrophone ? "--use-fake-ui-for-media-stream" : "--deny-permission-prompts");
        if (microphoneWav is not null)
        {
            args.Add("--use-file-for-fake-audio-capture=" + microphoneWav);
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = args,
                ViewportSize = new ViewportSize { Width = width, Height = height },
            });
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            return new ConsoleBrowser(playwright, context, page, profile);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Opens the console served by <paramref name="server"/> and waits until it reports the server online.</summary>
    public async Task OpenAsync(ServerProcess server)
    {
        await Page.GotoAsync(server.HttpBase.ToString());
        await Assertions.Expect(Page.Locator("#server-state")).ToHaveAttributeAsync("data-state", "ok", new() { Timeout = 15_000 });
    }

    /// <summary>Writes a PNG of the whole page to the artifacts folder and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        string path = Path.Combine(BrowserArtifacts.Directory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    private void Append(string line)
    {
        lock (_console)
        {
            _console.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _context.CloseAsync();
        }
        finally
        {
            _playwright.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Chromium may still hold a file for a moment; the temp folder is cleaned by the OS.
            }
        }
    }
}

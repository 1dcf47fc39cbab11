using MediaServer.Tests.Infrastructure;

namespace MediaServer.Browser.Tests;

/// <summary>
/// Where the browser tests leave what a person would want to look at: screenshots of the console's main states and
/// the fake microphone's WAV. <c>BROWSER_TEST_ARTIFACTS</c> overrides the folder (CI collects it);
/// by default it is <c>artifacts/browser-tests</c> in the repository (ignored by git).
/// </summary>
public static class BrowserArtifacts
{
    public static string Directory { get; } = Create();

    private static string Create()
    {
        string dir = Environment.GetEnvironmentVariable("BROWSER_TEST_ARTIFACTS") is { Length: > 0 } env
            ? env
            : Path.Combine(TestPaths.RepositoryRoot, "artifacts", "browser-tests");
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }
}

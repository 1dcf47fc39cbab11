using System.Runtime.CompilerServices;

namespace MediaServer.SipBridge.Tests;

/// <summary>Finds the repository (the folder holding MediaServer.sln) and its test data.</summary>
internal static class TestPaths
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MediaServer.sln")))
            {
                dir = dir.Parent;
            }

            // Artifacts may live outside the checkout (ArtifactsPath): fall back to where this file was compiled from.
            return dir?.FullName ?? Environment.GetEnvironmentVariable("MEDIASERVER_REPO") ?? SourceRoot();
        }
    }

    public static string Rfc4475 => Path.Combine(RepoRoot, "tests", "TestVectors", "rfc4475");

    private static string SourceRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}

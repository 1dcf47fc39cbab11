using System.Reflection;
using System.Runtime.CompilerServices;

namespace MediaServer.TestSupport;

/// <summary>Locates the repository, the shared model folder and the Silero model for tests and bench drivers.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string SharedModels =>
        Environment.GetEnvironmentVariable("MEDIASERVER_SHARED_MODELS") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "models"));

    /// <summary>A folder holding <c>silero_vad.onnx</c>: the setup script's <c>.models</c>, else the shared copy.</summary>
    public static string SileroDirectory
    {
        get
        {
            string local = Environment.GetEnvironmentVariable("MEDIASERVER_MODELS_DIR") is { Length: > 0 } env
                ? env
                : Path.Combine(RepositoryRoot, ".models");
            return File.Exists(Path.Combine(local, "silero_vad.onnx")) ? local : Path.Combine(SharedModels, "silero-vad");
        }
    }

    private static string FindRoot()
    {
        var embedded = typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (embedded is not null && IsRoot(embedded))
        {
            return Path.GetFullPath(embedded);
        }

        // A checkout moved after the build: walk up from the binaries, then from where this file was compiled.
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(SourceFile()) ?? "." })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (IsRoot(dir.FullName))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("MediaServer.sln not found above the test binaries or their sources.");
    }

    private static bool IsRoot(string dir) => File.Exists(Path.Combine(dir, "MediaServer.sln"));

    private static string SourceFile([CallerFilePath] string path = "") => path;
}

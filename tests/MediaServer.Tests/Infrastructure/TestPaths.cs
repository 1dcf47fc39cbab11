namespace MediaServer.Tests.Infrastructure;

/// <summary>Locates the repository, the shared model folder and the Silero model for tests.</summary>
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
        var embedded = typeof(TestPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (embedded is not null && File.Exists(Path.Combine(embedded, "MediaServer.sln")))
        {
            return Path.GetFullPath(embedded);
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MediaServer.sln")))
        {
            dir = dir.Parent;
        }

        // Builds may live outside the tree (ArtifactsPath); fall back to the working directory's ancestors.
        if (dir is null)
        {
            dir = new DirectoryInfo(Directory.GetCurrentDirectory());
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MediaServer.sln")))
            {
                dir = dir.Parent;
            }
        }

        return dir?.FullName ?? throw new InvalidOperationException("MediaServer.sln not found above the test binaries.");
    }
}

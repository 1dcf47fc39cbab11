namespace MediaServer.Rtc.Tests.Stun;

/// <summary>Reads hex vectors from <c>tests/TestVectors</c> (found by walking up to the folder with MediaServer.sln).</summary>
internal static class TestVectorFiles
{
    public static string Root => Path.Combine(RepositoryRoot(), "tests", "TestVectors");

    /// <summary>
    /// The checkout: walk up from the test binary, else from this source file (build outputs may live outside the
    /// tree when ArtifactsPath points elsewhere).
    /// </summary>
    public static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "." })
        {
            var dir = new DirectoryInfo(start);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MediaServer.sln")))
            {
                dir = dir.Parent;
            }

            if (dir is not null)
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("MediaServer.sln not found above the test binary or its sources.");
    }

    public static byte[] ReadHex(string relativePath)
    {
        var text = File.ReadAllLines(Path.Combine(Root, relativePath))
            .Select(l => l.Contains('#', StringComparison.Ordinal) ? l[..l.IndexOf('#', StringComparison.Ordinal)] : l);
        return Convert.FromHexString(string.Concat(text).Replace(" ", string.Empty, StringComparison.Ordinal));
    }
}

/// <summary>Reads <c>name value</c> lines (comments with #) from a vector file.</summary>
internal static class TestVectorFields
{
    public static Dictionary<string, string> Read(string relativePath) =>
        File.ReadAllLines(Path.Combine(TestVectorFiles.Root, relativePath))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(' ', 2))
            .ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.Ordinal);
}

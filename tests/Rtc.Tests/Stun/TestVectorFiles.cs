namespace MediaServer.Rtc.Tests.Stun;

/// <summary>Reads hex vectors from <c>tests/TestVectors</c> (in the checkout, see <see cref="TestPaths"/>).</summary>
internal static class TestVectorFiles
{
    public static string Root => Path.Combine(TestPaths.RepositoryRoot, "tests", "TestVectors");

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

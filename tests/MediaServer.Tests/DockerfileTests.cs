using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests;

/// <summary>
/// No Docker engine runs here, so the Dockerfile cannot be built in CI; this pins that it names everything the
/// server loads at run time: the native engine libraries, the model, the web folder, and a non-root user.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "Dockerfile"));

    [Theory]
    [InlineData("libpocketsphinx3")]
    [InlineData("pocketsphinx-en-us")]
    [InlineData("libflite1")]
    [InlineData("libespeak-ng1")]
    [InlineData("libopus0")]
    [InlineData("libgomp1")] // Whisper.net's libggml-cpu-whisper.so links libgomp.so.1 (ldd)
    [InlineData("silero_vad.onnx")]
    [InlineData("1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3")]
    [InlineData("COPY web/")]
    [InlineData("HEALTHCHECK")]
    [InlineData("USER mediaserver")]
    [InlineData("MediaServer__Engines__ModelsDirectory=/models")]
    [InlineData("MALLOC_ARENA_MAX=2")] // the soak's RSS creep; README, soak section
    public void Dockerfile_names_what_the_server_needs(string needle) => Assert.Contains(needle, Dockerfile, StringComparison.Ordinal);

    [Fact]
    public void Every_native_library_the_engines_load_is_installed_by_the_runtime_stage()
    {
        string runtime = Dockerfile[Dockerfile.IndexOf("AS runtime", StringComparison.Ordinal)..];
        foreach (var source in Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories))
        {
            foreach (var library in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(source), "\"lib([a-z_-]+)\\.so").Select(m => m.Groups[1].Value))
            {
                if (library == "c")
                {
                    continue; // the C library is in every image
                }

                string package = library switch
                {
                    "pocketsphinx" or "sphinxbase" => "libpocketsphinx3",
                    "espeak-ng" => "libespeak-ng1",
                    "opus" => "libopus0",
                    _ when library.StartsWith("flite", StringComparison.Ordinal) => "libflite1",
                    _ => "lib" + library,
                };
                Assert.Contains(package, runtime, StringComparison.Ordinal);
            }
        }
    }
}

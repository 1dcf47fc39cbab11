using MediaServer.Pipeline.Tests.Profile.Onnx;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Inworld;

/// <summary>A classifier that cannot work stops the server at start, naming the setting, instead of failing on a call.</summary>
public sealed class VoiceProfileStartupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onnx-startup-").FullName;

    [Fact]
    public async Task MissingModelFileStopsTheServerWithAClearError()
    {
        string path = Path.Combine(_dir, "missing.onnx");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(
            $"--MediaServer:VoiceProfile:Classifiers:emotion:ModelPath={path}",
            "--MediaServer:VoiceProfile:Classifiers:emotion:Labels:0=calm"));
        Assert.Contains($"MediaServer:VoiceProfile:Classifiers:emotion: model file not found: {path}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongInputShapeStopsTheServerWithAClearError()
    {
        string path = Path.Combine(_dir, "five.onnx");
        File.WriteAllBytes(path, OnnxTestModel.LinearSoftmax(new float[5, 2], [0f, 0f]));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(
            $"--MediaServer:VoiceProfile:Classifiers:age:ModelPath={path}",
            "--MediaServer:VoiceProfile:Classifiers:age:Labels:0=young",
            "--MediaServer:VoiceProfile:Classifiers:age:Labels:1=old"));
        Assert.Contains("MediaServer:VoiceProfile:Classifiers:age: input 'features' takes 5 values but the feature vector has 11", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

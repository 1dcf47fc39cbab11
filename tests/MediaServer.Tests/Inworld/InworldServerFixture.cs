using MediaServer.Pipeline.Tests.Profile.Onnx;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Inworld;

/// <summary>
/// One server for the Inworld compatibility tests: an ONNX emotion classifier written by the test (the calm/excited
/// linear model of the Pipeline tests: 0.2 per Hz of median F0, boundary at 100 Hz) and a provider <c>fake</c> whose
/// <c>fake/slow</c> model takes <see cref="SlowChatServer.FirstTokenDelay"/> to its first token.
/// </summary>
public sealed class InworldServerFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("inworld-e2e-").FullName;

    public ServerProcess Server { get; private set; } = null!;

    public SlowChatServer Llm { get; } = new();

    public async Task InitializeAsync()
    {
        string model = Path.Combine(_dir, "emotion.onnx");
        File.WriteAllBytes(model, OnnxTestModel.PitchEmotion());
        Server = await ServerProcess.StartAsync(
            $"--MediaServer:VoiceProfile:Classifiers:emotion:ModelPath={model}",
            "--MediaServer:VoiceProfile:Classifiers:emotion:Labels:0=calm",
            "--MediaServer:VoiceProfile:Classifiers:emotion:Labels:1=excited",
            $"--MediaServer:Llm:Providers:fake:BaseUrl={Llm.BaseUrl}",
            "--MediaServer:Llm:Providers:fake:ApiKey=test",
            "--MediaServer:Inworld:IceServers:0=stun:127.0.0.1:3478");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Llm.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

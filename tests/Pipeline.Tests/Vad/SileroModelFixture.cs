using MediaServer.Pipeline.Tests.Audio;
using MediaServer.Pipeline.Vad;

namespace MediaServer.Pipeline.Tests.Vad;

/// <summary>One loaded Silero model per test class, as the server shares one per process.</summary>
public sealed class SileroModelFixture : IDisposable
{
    public SileroVadModel Model { get; } = new(TestAudio.SileroModelPath);

    public void Dispose() => Model.Dispose();
}

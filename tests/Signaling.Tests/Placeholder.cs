namespace MediaServer.Signaling.Tests;

public sealed class AssemblyLoadsTests
{
    [Fact]
    public void Assembly_loads() => Assert.Equal("MediaServer.Signaling", typeof(MediaServer.Signaling.AssemblyMarker).Assembly.GetName().Name);
}

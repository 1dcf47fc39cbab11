namespace MediaServer.Pipeline.Tests;

public sealed class AssemblyLoadsTests
{
    [Fact]
    public void Assembly_loads() => Assert.Equal("MediaServer.Pipeline", typeof(MediaServer.Pipeline.AssemblyMarker).Assembly.GetName().Name);
}

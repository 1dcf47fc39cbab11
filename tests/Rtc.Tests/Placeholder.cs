namespace MediaServer.Rtc.Tests;

public sealed class AssemblyLoadsTests
{
    [Fact]
    public void Assembly_loads() => Assert.Equal("MediaServer.Rtc", typeof(MediaServer.Rtc.AssemblyMarker).Assembly.GetName().Name);
}

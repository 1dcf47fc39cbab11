namespace MediaServer.SipBridge.Tests;

public sealed class AssemblyLoadsTests
{
    [Fact]
    public void Assembly_loads() => Assert.Equal("MediaServer.SipBridge", typeof(MediaServer.SipBridge.AssemblyMarker).Assembly.GetName().Name);
}

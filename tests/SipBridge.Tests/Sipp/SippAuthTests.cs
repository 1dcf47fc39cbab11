using System.Collections.Concurrent;
using MediaServer.SipBridge.Calls;

namespace MediaServer.SipBridge.Tests.Sipp;

/// <summary>A caller off the allow-list must pass the digest challenge (SIPp computes the MD5 response).</summary>
[Trait("Category", "Interop")]
public sealed class SippAuthTests : IAsyncLifetime
{
    private readonly SipServer _server = new(new SipOptions { Port = 0, AllowedNetworks = [], DigestUsername = "trunk", DigestPassword = "s3cret" });
    private readonly ConcurrentQueue<SipCall> _calls = new();

    public Task InitializeAsync()
    {
        _server.IncomingCall += call =>
        {
            _calls.Enqueue(call);
            _ = call.AcceptAsync();
        };
        return _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Invite_is_challenged_then_answered_with_the_right_credentials()
    {
        var (code, output) = await SippRunner.RunAsync(SipTestData.Scenario("auth_call.xml"), _server.UdpEndPoint!);
        Assert.True(code == 0, output);
        Assert.Single(_calls);
        Assert.True(_server.Stack.Counters.Received >= 4);
    }

    [Fact]
    public async Task Options_without_credentials_is_challenged()
    {
        var (code, _) = await SippRunner.RunAsync(SipTestData.Scenario("options.xml"), _server.UdpEndPoint!, timeout: TimeSpan.FromSeconds(5));
        Assert.NotEqual(0, code); // SIPp expected 200 and got 401
        Assert.Empty(_calls);
    }
}

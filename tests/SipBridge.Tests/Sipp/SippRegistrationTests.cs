using MediaServer.SipBridge.Registration;

namespace MediaServer.SipBridge.Tests.Sipp;

/// <summary>REGISTER against SIPp acting as a registrar that challenges with digest and grants 4 s bindings.</summary>
[Trait("Category", "Interop")]
public sealed class SippRegistrationTests : IAsyncLifetime
{
    private readonly SipServer _server = new(new SipOptions { Port = 0 });

    public Task InitializeAsync() => _server.StartAsync(CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Registers_with_digest_refreshes_before_expiry_and_unregisters()
    {
        int port = SippRunner.FreeUdpPort();
        var sipp = SippRunner.RunAsync(SipTestData.Scenario("registrar.xml"), null, localPort: port, timeout: TimeSpan.FromSeconds(20));
        await Task.Delay(500);

        var registration = await _server.RegisterAsync(new SipRegistrationOptions
        {
            Registrar = $"sip:127.0.0.1:{port}",
            Username = "trunk",
            Password = "s3cret",
            Expires = TimeSpan.FromSeconds(60),
        }).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(registration.IsRegistered);
        Assert.Equal(TimeSpan.FromSeconds(4), registration.GrantedExpires);

        for (int i = 0; i < 60 && registration.SuccessCount < 2; i++)
        {
            await Task.Delay(100); // refresh is due at half of the 4 s binding
        }

        Assert.Equal(2, registration.SuccessCount);
        Assert.Equal(200, await registration.UnregisterAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(registration.IsRegistered);
        var (code, output) = await sipp;
        Assert.True(code == 0, output);
    }
}

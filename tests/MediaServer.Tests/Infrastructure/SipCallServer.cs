namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// What an inbound SIP call test runs against: the server process listening for SIP on a free port, with its
/// <c>realtime.call.incoming</c> webhook pointed at a local <see cref="CallWebhookReceiver"/>.
/// </summary>
public sealed class SipCallServer : IAsyncDisposable
{
    private SipCallServer(ServerProcess server, int sipPort, CallWebhookReceiver webhook)
    {
        Server = server;
        SipPort = sipPort;
        Webhook = webhook;
    }

    public ServerProcess Server { get; }

    public int SipPort { get; }

    public CallWebhookReceiver Webhook { get; }

    /// <summary>Starts the server with the SIP port and webhook set, plus <paramref name="settings"/>.</summary>
    public static async Task<SipCallServer> StartAsync(params string[] settings)
    {
        var webhook = new CallWebhookReceiver();
        int sipPort = ServerProcess.FreeTcpPort();
        var server = await ServerProcess.StartAsync(
            [$"--MediaServer:Calls:WebhookUrl={webhook.Url}", $"--MediaServer:Sip:Port={sipPort}", .. settings]);
        return new SipCallServer(server, sipPort, webhook);
    }

    public async ValueTask DisposeAsync()
    {
        Webhook.Dispose();
        await Server.DisposeAsync();
    }
}

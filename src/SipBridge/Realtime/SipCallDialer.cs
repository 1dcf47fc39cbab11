using MediaServer.Signaling.Calls;
using MediaServer.SipBridge.Calls;

namespace MediaServer.SipBridge.Realtime;

/// <summary>Outbound calls for the realtime layer, through the hosted SIP server.</summary>
public sealed class SipCallDialer(SipRealtimeBridge bridge) : ICallDialer
{
    public async Task<ICallControl> DialAsync(string targetUri, CancellationToken cancellationToken)
    {
        var server = bridge.Server ?? throw new CallDialException(503, "The SIP bridge is not running.");
        try
        {
            var call = await server.DialAsync(targetUri, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new SipCallControl(call);
        }
        catch (SipCallFailedException ex)
        {
            throw new CallDialException(ex.StatusCode, ex.Message);
        }
        catch (ArgumentException ex)
        {
            throw new CallDialException(400, ex.Message);
        }
    }
}

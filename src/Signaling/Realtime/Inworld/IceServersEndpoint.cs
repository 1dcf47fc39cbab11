using MediaServer.Signaling.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>Inworld-compatibility settings (configuration section <c>MediaServer:Inworld</c>).</summary>
public sealed class InworldOptions
{
    public const string Section = "MediaServer:Inworld";

    /// <summary>
    /// STUN/TURN URLs handed out by <c>GET /v1/realtime/ice-servers</c>. Default none: the server is ICE-lite with
    /// host candidates, so a browser needs no STUN server to reach it (RFC 8445 §2.5).
    /// </summary>
    public List<string> IceServers { get; set; } = [];
}

/// <summary>
/// <c>GET /v1/realtime/ice-servers</c> (and <c>/api/v1/realtime/ice-servers</c>): Inworld's WebRTC clients fetch
/// STUN/TURN servers before creating the peer connection. Answers the JSON array <c>[{urls}]</c> of the configured
/// servers, empty by default; authenticated like every API call.
/// </summary>
public sealed class IceServersEndpoint(RealtimeAuthenticator authenticator, IOptions<InworldOptions> options)
{
    public async Task HandleAsync(HttpContext context)
    {
        var auth = authenticator.Authenticate(context, EphemeralKeyUse.Read);
        if (!auth.Success)
        {
            await Transport.RealtimeWebSocketHandler.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_request_error", auth.Code!, auth.Message!).ConfigureAwait(false);
            return;
        }

        var servers = options.Value.IceServers.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => new IceServer([u.Trim()])).ToArray();
        await context.Response.WriteAsJsonAsync(servers).ConfigureAwait(false);
    }

    /// <summary>One RTCIceServer entry (W3C webrtc-pc §4.2.4).</summary>
#pragma warning disable IDE1006 // wire names
    internal sealed record IceServer(string[] urls);
#pragma warning restore IDE1006
}

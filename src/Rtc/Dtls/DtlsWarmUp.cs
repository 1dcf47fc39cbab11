using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Rtc.Dtls;

/// <summary>
/// Runs a few in-memory client/server handshakes at start-up so the first real call does not pay for JIT and the
/// first EC operations (100–270 ms cold, longer than libwebrtc's 50 ms first retransmit; NOTES-WEBRTC.md).
/// </summary>
public static class DtlsWarmUp
{
    /// <summary>Runs <paramref name="handshakes"/> handshakes with <paramref name="certificate"/> on both sides.</summary>
    public static async Task RunAsync(DtlsCertificate certificate, int handshakes = 3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        for (int i = 0; i < handshakes; i++)
        {
            var (client, server) = CreateLinkedPair(certificate, certificate);
            using (client)
            using (server)
            {
                client.Start();
                await Task.WhenAll(client.Connected, server.Connected).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A client and a server wired to each other in memory (each one's sends are the other's datagrams).
    /// Used by the warm-up and by tests.
    /// </summary>
    public static (DtlsSrtpTransport Client, DtlsSrtpTransport Server) CreateLinkedPair(DtlsCertificate clientCertificate,
        DtlsCertificate serverCertificate, IReadOnlyList<SrtpProfile>? clientProfiles = null, IReadOnlyList<SrtpProfile>? serverProfiles = null,
        Sdp.SdpFingerprint? clientExpects = null, Sdp.SdpFingerprint? serverExpects = null)
    {
        ArgumentNullException.ThrowIfNull(clientCertificate);
        ArgumentNullException.ThrowIfNull(serverCertificate);
        DtlsSrtpTransport? client = null, server = null;
        client = new DtlsSrtpTransport(DtlsRole.Client, clientCertificate, clientExpects ?? serverCertificate.Fingerprint,
            d => server!.OnDatagram(d), NullLogger.Instance, clientProfiles);
        server = new DtlsSrtpTransport(DtlsRole.Server, serverCertificate, serverExpects ?? clientCertificate.Fingerprint,
            d => client.OnDatagram(d), NullLogger.Instance, serverProfiles);
        return (client, server);
    }
}

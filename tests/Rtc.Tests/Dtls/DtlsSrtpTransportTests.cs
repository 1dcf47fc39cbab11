using System.Text;
using MediaServer.Rtc.Dtls;

namespace MediaServer.Rtc.Tests.Dtls;

public sealed class DtlsSrtpTransportTests
{
    private static readonly DtlsCertificate CertA = DtlsCertificate.Generate();
    private static readonly DtlsCertificate CertB = DtlsCertificate.Generate();
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public async Task Client_and_server_agree_on_profile_and_keys(SrtpProfile profile)
    {
        var (client, server) = DtlsWarmUp.CreateLinkedPair(CertA, CertB, clientProfiles: [profile]);
        using (client)
        using (server)
        {
            client.Start();
            var keys = await Task.WhenAll(client.Connected, server.Connected).WaitAsync(Timeout);
            Assert.Equal(profile, keys[0].Profile);
            Assert.Equal(profile, keys[1].Profile);
            Assert.Equal(keys[0].LocalMasterKey, keys[1].RemoteMasterKey);
            Assert.Equal(keys[0].LocalMasterSalt, keys[1].RemoteMasterSalt);
            Assert.Equal(keys[1].LocalMasterKey, keys[0].RemoteMasterKey);
            Assert.NotEqual(keys[0].LocalMasterKey, keys[0].RemoteMasterKey);
            Assert.Equal(profile.MasterSaltLength(), keys[0].LocalMasterSalt.Length);
            Assert.Equal(DtlsState.Connected, client.State);
            Assert.Equal(DtlsState.Connected, server.State);
        }
    }

    [Fact]
    public async Task Server_prefers_aes_cm_when_both_are_offered()
    {
        var (client, server) = DtlsWarmUp.CreateLinkedPair(CertA, CertB,
            clientProfiles: [SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80]);
        using (client)
        using (server)
        {
            client.Start();
            var keys = await server.Connected.WaitAsync(Timeout);
            Assert.Equal(SrtpProfile.Aes128CmHmacSha1_80, keys.Profile);
        }
    }

    [Fact]
    public async Task Application_data_flows_both_ways()
    {
        var (client, server) = DtlsWarmUp.CreateLinkedPair(CertA, CertB);
        using (client)
        using (server)
        {
            var atServer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var atClient = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            server.ApplicationData += d => atServer.TrySetResult(Encoding.UTF8.GetString(d));
            client.ApplicationData += d => atClient.TrySetResult(Encoding.UTF8.GetString(d));
            client.Start();
            await Task.WhenAll(client.Connected, server.Connected).WaitAsync(Timeout);
            Assert.True(client.Send("hello server"u8));
            Assert.Equal("hello server", await atServer.Task.WaitAsync(Timeout));
            Assert.True(server.Send("hello client"u8));
            Assert.Equal("hello client", await atClient.Task.WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task Fingerprint_mismatch_fails_the_handshake()
    {
        var (client, server) = DtlsWarmUp.CreateLinkedPair(CertA, CertB, clientExpects: CertA.Fingerprint);
        using (client)
        using (server)
        {
            client.Start();
            await Assert.ThrowsAsync<IOException>(() => client.Connected.WaitAsync(Timeout));
            Assert.True(client.FingerprintMismatch);
            Assert.Equal(DtlsState.Failed, client.State);
            Assert.Contains("fingerprint", client.CloseReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Server_rejects_a_client_certificate_that_does_not_match()
    {
        var (client, server) = DtlsWarmUp.CreateLinkedPair(CertA, CertB, serverExpects: CertB.Fingerprint);
        using (client)
        using (server)
        {
            client.Start();
            await Assert.ThrowsAsync<IOException>(() => server.Connected.WaitAsync(Timeout));
            Assert.True(server.FingerprintMismatch);
        }
    }

    [Fact]
    public async Task No_common_srtp_profile_fails()
    {
        var (client, server) = DtlsWarmUp.CreateLinkedPair(CertA, CertB,
            clientProfiles: [SrtpProfile.AeadAes128Gcm], serverProfiles: [SrtpProfile.Aes128CmHmacSha1_80]);
        using (client)
        using (server)
        {
            client.Start();
            await Assert.ThrowsAsync<IOException>(() => server.Connected.WaitAsync(Timeout));
            Assert.Equal(DtlsState.Failed, server.State);
        }
    }

    [Fact]
    public async Task Close_notify_closes_the_peer()
    {
        var (client, server) = DtlsWarmUp.CreateLinkedPair(CertA, CertB);
        using (server)
        {
            var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            server.Ended += (_, reason) => ended.TrySetResult(reason);
            client.Start();
            await Task.WhenAll(client.Connected, server.Connected).WaitAsync(Timeout);
            client.Close();
            Assert.Equal("peer closed DTLS", await ended.Task.WaitAsync(Timeout));
            Assert.Equal(DtlsState.Closed, server.State);
        }
    }

    [Fact]
    public async Task Warm_up_runs_handshakes()
    {
        await DtlsWarmUp.RunAsync(CertA, 2).WaitAsync(Timeout);
    }
}

public sealed class DtlsLossAndFragmentationTests
{
    private static readonly DtlsCertificate Cert = DtlsCertificate.Generate();

    [Fact]
    public async Task Handshake_completes_with_lost_flights_and_fragmented_messages()
    {
        DtlsSrtpTransport? client = null, server = null;
        int toServer = 0, toClient = 0, dropped = 0;
        var lockObject = new object();
        void Deliver(DtlsSrtpTransport target, ReadOnlySpan<byte> datagram, ref int counter)
        {
            int n;
            lock (lockObject)
            {
                n = ++counter;
            }

            // Lose the first two datagrams each way (the ClientHello, then part of the server's first flight):
            // both sides must retransmit on their timers.
            if (n <= 2)
            {
                Interlocked.Increment(ref dropped);
                return;
            }

            var copy = datagram.ToArray();
            _ = Task.Run(() => target.OnDatagram(copy));
        }

        client = new DtlsSrtpTransport(DtlsRole.Client, Cert, Cert.Fingerprint, d => Deliver(server!, d, ref toServer), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        server = new DtlsSrtpTransport(DtlsRole.Server, Cert, Cert.Fingerprint, d => Deliver(client, d, ref toClient), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        client.Mtu = 250; // certificates (~400 bytes DER) and key exchange messages no longer fit one datagram
        server.Mtu = 250;
        using (client)
        using (server)
        {
            client.Start();
            var keys = await Task.WhenAll(client.Connected, server.Connected).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(keys[0].LocalMasterKey, keys[1].RemoteMasterKey);
            Assert.Equal(4, dropped);
            Assert.True(toServer + toClient > 12, $"{toServer + toClient} datagrams: messages were fragmented and flights resent");
        }
    }
}

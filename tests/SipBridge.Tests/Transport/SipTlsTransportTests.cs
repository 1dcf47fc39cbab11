using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transport;

namespace MediaServer.SipBridge.Tests.Transport;

/// <summary>SIP over TLS against .NET's own TLS client (the Debian SIPp build has no TLS).</summary>
public sealed class SipTlsTransportTests
{
    [Fact]
    public async Task Options_over_tls_is_answered_on_the_same_connection()
    {
        string dir = Path.Combine(Path.GetTempPath(), "siptls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string pfx = Path.Combine(dir, "server.pfx");
        await File.WriteAllBytesAsync(pfx, cert.Export(X509ContentType.Pfx, "pw"));

        await using var server = new SipServer(new SipOptions { Port = 0, EnableUdp = false, EnableTcp = false, EnableTls = true, TlsPort = 0, TlsCertificatePath = pfx, TlsCertificatePassword = "pw" });
        await server.StartAsync(CancellationToken.None);

        using var client = new TcpClient();
        await client.ConnectAsync(server.TlsEndPoint!);
        await using var tls = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("127.0.0.1");
        var local = (System.Net.IPEndPoint)client.Client.LocalEndPoint!;
        string options = $"OPTIONS sip:agent@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:{local.Port};branch=z9hG4bKtls1\r\n" +
                         "From: <sip:c@127.0.0.1>;tag=1\r\nTo: <sip:agent@127.0.0.1>\r\nCall-ID: tls-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(options));

        var framer = new SipStreamFramer(SipParserLimits.Default);
        byte[] buffer = new byte[4096];
        byte[] message;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (framer.TryNext(out message) != SipStreamFramer.Result.Message)
        {
            int n = await tls.ReadAsync(buffer, timeout.Token);
            Assert.True(n > 0);
            framer.Append(buffer.AsSpan(0, n));
        }

        Assert.True(SipParser.TryParse(message, out var m, out _));
        var response = Assert.IsType<SipResponse>(m);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("TLS", response.TopVia!.Transport);
        Directory.Delete(dir, true);
    }
}

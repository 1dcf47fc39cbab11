using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MediaServer.Rtc.Sdp;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace MediaServer.Rtc.Dtls;

/// <summary>
/// Our self-signed ECDSA P-256 certificate for DTLS-SRTP (RFC 8827 section 6.5: certificates need not chain to a
/// root; the SDP fingerprint authenticates them). Generating one costs 120–160 ms cold, so make one per process
/// and share it across calls (NOTES-WEBRTC.md).
/// </summary>
public sealed class DtlsCertificate
{
    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey)
    {
        Der = der;
        PrivateKey = privateKey;
        Fingerprint = SdpFingerprint.Compute("sha-256", der);
    }

    /// <summary>DER encoding of the certificate.</summary>
    public byte[] Der { get; }

    /// <summary>The SHA-256 fingerprint advertised in <c>a=fingerprint</c>.</summary>
    public SdpFingerprint Fingerprint { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Creates a fresh key pair and a certificate valid from yesterday for 30 days.</summary>
    public static DtlsCertificate Generate(TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mediaserver", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var privateKey = PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
        return new DtlsCertificate(certificate.RawData, privateKey);
    }
}

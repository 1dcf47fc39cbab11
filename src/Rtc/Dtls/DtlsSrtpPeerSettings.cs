using MediaServer.Rtc.Sdp;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaServer.Rtc.Dtls;

/// <summary>What both DTLS roles share: versions, suites, SRTP profiles, our credentials, the peer's fingerprint.</summary>
internal sealed class DtlsSrtpPeerSettings
{
    /// <summary>DTLS 1.2 only: RFC 8827 asks for 1.2 or later and it is what browsers negotiate.</summary>
    public static ProtocolVersion[] Versions => ProtocolVersion.DTLSv12.Only();

    /// <summary>ECDHE-ECDSA AEAD suites: what browsers negotiate (NOTES-WEBRTC.md) and all we need.</summary>
    public static readonly int[] CipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    public required DtlsCertificate Certificate { get; init; }

    public required SdpFingerprint RemoteFingerprint { get; init; }

    /// <summary>Profiles we accept, in preference order (AES-CM first: libwebrtc in Node has no GCM).</summary>
    public required IReadOnlyList<SrtpProfile> Profiles { get; init; }

    /// <summary>Total handshake time allowed before BouncyCastle gives up.</summary>
    public int HandshakeTimeoutMillis { get; init; } = 10_000;

    public SrtpProfile? Selected { get; set; }

    public byte[]? KeyingMaterial { get; set; }

    public bool FingerprintMismatch { get; set; }

    public void VerifyPeerCertificate(Certificate? chain)
    {
        if (chain is null || chain.IsEmpty)
        {
            throw new TlsFatalAlert(AlertDescription.certificate_required, "The peer sent no certificate.");
        }

        if (!RemoteFingerprint.Matches(chain.GetCertificateAt(0).GetEncoded()))
        {
            // RFC 5763 section 5: the certificate must match the SDP fingerprint, otherwise end the session.
            FingerprintMismatch = true;
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "Certificate does not match the SDP fingerprint.");
        }
    }

    public TlsCredentialedSigner CreateSigner(TlsContext context, BcTlsCrypto crypto)
    {
        var der = Certificate.Der;
        var chain = new Certificate([crypto.CreateCertificate(der)]);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, Certificate.PrivateKey, chain,
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    public void Export(TlsContext context)
    {
        var profile = Selected ?? throw new TlsFatalAlert(AlertDescription.internal_error, "No SRTP profile negotiated.");
        KeyingMaterial = context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.KeyingMaterialLength());
    }
}

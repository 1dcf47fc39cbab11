using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaServer.Rtc.Dtls;

/// <summary>
/// Our DTLS 1.2 server (<c>a=setup:passive</c>): requests the client's ECDSA certificate and checks it against the
/// SDP fingerprint, picks the first SRTP profile of ours the client offers and echoes exactly that one
/// (RFC 5764 section 4.1.1), requires extended master secret, exports SRTP keys.
/// </summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    private readonly DtlsSrtpPeerSettings _settings;
    private readonly BcTlsCrypto _crypto;

    public DtlsSrtpServer(BcTlsCrypto crypto, DtlsSrtpPeerSettings settings)
        : base(crypto)
    {
        _crypto = crypto;
        _settings = settings;
    }

    public override bool RequiresExtendedMasterSecret() => true;

    public override int GetHandshakeTimeoutMillis() => _settings.HandshakeTimeoutMillis;

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var useSrtp = clientExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        if (useSrtp is null)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "Client did not offer use_srtp.");
        }

        foreach (var profile in _settings.Profiles)
        {
            if (useSrtp.ProtectionProfiles.Contains((int)profile))
            {
                _settings.Selected = profile;
                return;
            }
        }

        throw new TlsFatalAlert(AlertDescription.handshake_failure, "No SRTP profile in common.");
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = base.GetServerExtensions() ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([(int)_settings.Selected!.Value], []));
        return extensions;
    }

    public override CertificateRequest GetCertificateRequest()
    {
        var algorithms = new List<SignatureAndHashAlgorithm>
        {
            new(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
            new(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
            new(HashAlgorithm.sha512, SignatureAlgorithm.ecdsa),
            SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
            new(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
        };
        return new CertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], algorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate) => _settings.VerifyPeerCertificate(clientCertificate);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _settings.Export(m_context);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => DtlsSrtpPeerSettings.Versions;

    protected override int[] GetSupportedCipherSuites() => DtlsSrtpPeerSettings.CipherSuites;

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => _settings.CreateSigner(m_context, _crypto);
}

using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaServer.Rtc.Dtls;

/// <summary>
/// Our DTLS 1.2 client (<c>a=setup:active</c>): offers use_srtp (RFC 5764 section 4.1.1), requires extended master
/// secret (RFC 7627) and the server's certificate to match the SDP fingerprint, and exports SRTP keys.
/// </summary>
internal sealed class DtlsSrtpClient : DefaultTlsClient
{
    private readonly DtlsSrtpPeerSettings _settings;
    private readonly BcTlsCrypto _crypto;

    public DtlsSrtpClient(BcTlsCrypto crypto, DtlsSrtpPeerSettings settings)
        : base(crypto)
    {
        _crypto = crypto;
        _settings = settings;
    }

    public override bool RequiresExtendedMasterSecret() => true;

    public override int GetHandshakeTimeoutMillis() => _settings.HandshakeTimeoutMillis;

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = base.GetClientExtensions() ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData(_settings.Profiles.Select(p => (int)p).ToArray(), []));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        var useSrtp = serverExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions);
        if (useSrtp is null || useSrtp.ProtectionProfiles.Length != 1)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "Server did not negotiate use_srtp.");
        }

        var chosen = (SrtpProfile)useSrtp.ProtectionProfiles[0];
        if (!_settings.Profiles.Contains(chosen))
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "Server chose an SRTP profile we did not offer.");
        }

        _settings.Selected = chosen;
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _settings.Export(m_context);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => DtlsSrtpPeerSettings.Versions;

    protected override int[] GetSupportedCipherSuites() => DtlsSrtpPeerSettings.CipherSuites;

    private sealed class Authentication(DtlsSrtpClient owner) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            owner._settings.VerifyPeerCertificate(serverCertificate?.Certificate);

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
            owner._settings.CreateSigner(owner.m_context, owner._crypto);
    }
}

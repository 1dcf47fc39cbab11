namespace MediaServer.Rtc.Dtls;

/// <summary>
/// SRTP master keys from the DTLS exporter (label <c>EXTRACTOR-dtls_srtp</c>, RFC 5764 section 4.2), split into
/// the local (what we protect with) and remote (what we unprotect with) halves according to our role.
/// </summary>
public sealed class SrtpKeyingMaterial
{
    /// <summary>Splits exporter output <c>client_key | server_key | client_salt | server_salt</c>.</summary>
    public SrtpKeyingMaterial(SrtpProfile profile, ReadOnlySpan<byte> material, DtlsRole role)
    {
        int k = profile.MasterKeyLength(), s = profile.MasterSaltLength();
        if (material.Length != 2 * (k + s))
        {
            throw new ArgumentException("Keying material has the wrong length for the profile.", nameof(material));
        }

        var clientKey = material[..k].ToArray();
        var serverKey = material.Slice(k, k).ToArray();
        var clientSalt = material.Slice(2 * k, s).ToArray();
        var serverSalt = material.Slice((2 * k) + s, s).ToArray();
        Profile = profile;
        bool client = role == DtlsRole.Client;
        LocalMasterKey = client ? clientKey : serverKey;
        LocalMasterSalt = client ? clientSalt : serverSalt;
        RemoteMasterKey = client ? serverKey : clientKey;
        RemoteMasterSalt = client ? serverSalt : clientSalt;
    }

    /// <summary>The negotiated profile.</summary>
    public SrtpProfile Profile { get; }

    /// <summary>Key for what we send.</summary>
    public byte[] LocalMasterKey { get; }

    /// <summary>Salt for what we send.</summary>
    public byte[] LocalMasterSalt { get; }

    /// <summary>Key for what we receive.</summary>
    public byte[] RemoteMasterKey { get; }

    /// <summary>Salt for what we receive.</summary>
    public byte[] RemoteMasterSalt { get; }
}

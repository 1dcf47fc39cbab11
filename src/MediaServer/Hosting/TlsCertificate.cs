using System.Security.Cryptography.X509Certificates;

namespace MediaServer.Hosting;

/// <summary>Loads the HTTPS certificate: PEM (certificate + key files) or PFX.</summary>
public static class TlsCertificate
{
    public static X509Certificate2 Load(HttpOptions options)
    {
        if (string.IsNullOrEmpty(options.CertificatePath))
        {
            throw new InvalidOperationException("MediaServer:Http:HttpsPort is set but MediaServer:Http:CertificatePath is not.");
        }

        if (options.CertificateKeyPath is not null)
        {
            using var pem = X509Certificate2.CreateFromPemFile(options.CertificatePath, options.CertificateKeyPath);
            // Re-import so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword);
    }
}

namespace MediaServer.Hosting;

/// <summary>Configuration section <c>MediaServer:Http</c>: where the HTTP/WebSocket API listens.</summary>
public sealed class HttpOptions
{
    /// <summary>Address to bind. Anything but loopback requires <c>MediaServer:Auth:ApiKeys</c>.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Plain HTTP/WS port.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>HTTPS/WSS port; 0 turns HTTPS off. Needs <see cref="CertificatePath"/>.</summary>
    public int HttpsPort { get; set; }

    /// <summary>PEM or PFX certificate for HTTPS/WSS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key (when the certificate is PEM) .</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>PFX password, if any.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Seconds open sessions get to close when the server stops (Ctrl-C).</summary>
    public int ShutdownSeconds { get; set; } = 5;
}

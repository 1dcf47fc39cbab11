namespace MediaServer.Rtc.Dtls;

/// <summary>
/// Which side of the DTLS handshake we take, from the SDP <c>a=setup</c> exchange (RFC 5763 section 5, RFC 4145):
/// <c>active</c> is the client, <c>passive</c> the server.
/// </summary>
public enum DtlsRole
{
    /// <summary>We send the ClientHello (<c>a=setup:active</c> in our answer).</summary>
    Client,

    /// <summary>We wait for the ClientHello (<c>a=setup:passive</c> in our answer).</summary>
    Server,
}

using System.Net;
using MediaServer.SipBridge.Messages;
using MediaServer.SipBridge.Transactions;

namespace MediaServer.SipBridge;

/// <summary>
/// Settings of the SIP trunk side (bound from configuration section <c>Sip</c>). Defaults let a newcomer call in
/// from the same machine at once and nothing else: loopback address, loopback-only allow-list.
/// </summary>
public sealed class SipOptions
{
    /// <summary>Address the UDP and TCP listeners bind to. Default 127.0.0.1 (loopback only).</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>SIP port for UDP and TCP. Default 5060 (RFC 3261 §19.1.2); 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 5060;

    /// <summary>Listen on UDP. Default true.</summary>
    public bool EnableUdp { get; set; } = true;

    /// <summary>Listen on TCP. Default true.</summary>
    public bool EnableTcp { get; set; } = true;

    /// <summary>Listen on TLS (RFC 3261 §26.2.1) at <see cref="TlsPort"/>. Default false: it needs a certificate.</summary>
    public bool EnableTls { get; set; }

    /// <summary>TLS port. Default 5061 (RFC 3261 §19.1.2); 0 picks a free port.</summary>
    public int TlsPort { get; set; } = 5061;

    /// <summary>Server certificate: a PFX/PKCS#12 file, or a PEM certificate with <see cref="TlsKeyPath"/>.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>PEM private key file for a PEM <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>Password of a PFX certificate.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>Lowest RTP port (even ports are used). Default 0 with <see cref="RtpPortMax"/> 0: the OS chooses.</summary>
    public int RtpPortMin { get; set; }

    /// <summary>Highest RTP port. Set both to the range the trunk's firewall allows (for example 10000-20000).</summary>
    public int RtpPortMax { get; set; }

    /// <summary>Address put in Via, Contact and SDP; default: the listen address (set it behind NAT or when listening on 0.0.0.0).</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Source networks (CIDR) allowed to send SIP. Default loopback only; anything else needs an entry here
    /// (or digest credentials). Messages from other sources are dropped without a response.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = ["127.0.0.0/8", "::1/128"];

    /// <summary>
    /// Optional digest credentials (RFC 3261 §22, MD5) that callers outside <see cref="AllowedNetworks"/> must
    /// present; allow-listed sources are not challenged. Also used to answer challenges on outbound requests.
    /// </summary>
    public string? DigestUsername { get; set; }

    /// <summary>Where outbound requests go (<c>ip:port</c> of the trunk's proxy); null sends to the target URI's IP.</summary>
    public string? OutboundProxy { get; set; }

    /// <summary>Realm in our challenges. Default <c>mediaserver</c>.</summary>
    public string DigestRealm { get; set; } = "mediaserver";

    /// <summary>Password for <see cref="DigestUsername"/>.</summary>
    public string? DigestPassword { get; set; }

    /// <summary>User-Agent/Server header value.</summary>
    public string UserAgent { get; set; } = "MediaServer";

    /// <summary>Send 180 Ringing while the application decides. Default true.</summary>
    public bool SendRinging { get; set; } = true;

    /// <summary>
    /// Answer INVITEs with 183 Session Progress and our SDP instead of 180, so audio (a prompt, ringback) can flow
    /// before the application accepts. Default false.
    /// </summary>
    public bool EarlyMedia { get; set; }

    /// <summary>
    /// Calls (ringing or answered) held at once; further INVITEs get 503 with Retry-After. Default 200: above the
    /// 80 concurrent speech calls measured clean on a 2-core machine (see README), low enough to bound memory.
    /// </summary>
    public int MaxConcurrentCalls { get; set; } = 200;

    /// <summary>
    /// New calls (INVITEs) accepted per second from one source IP; more get 503 with Retry-After. Default 20: a trunk
    /// carrying real traffic stays far below it, a flood from one address is cut off. 0 turns the limit off (set it
    /// off, or high, when every call arrives through one proxy such as Kamailio).
    /// </summary>
    public double MaxCallsPerSecondPerSource { get; set; } = 20;

    /// <summary>How long an unanswered call rings before 480. Default 60 s.</summary>
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Session interval we grant when the caller asks for session timers (RFC 4028 §4: 1800 s recommended).</summary>
    public TimeSpan SessionExpires { get; set; } = TimeSpan.FromSeconds(1800);

    /// <summary>Smallest session interval accepted (RFC 4028 §5: at least 90 s).</summary>
    public TimeSpan MinSessionExpires { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Agent audio that may be queued per call before the excess is dropped. Default 120 s.</summary>
    public TimeSpan MaxQueuedOutput { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// When set, every answered call is recorded to <c>{RecordingDirectory}/{callId}.wav</c> (stereo 8 kHz: caller
    /// left, agent right). Default null (off): recordings are personal data.
    /// </summary>
    public string? RecordingDirectory { get; set; }

    /// <summary>Transaction timers.</summary>
    public SipTimerOptions Timers { get; set; } = new();

    /// <summary>Parser limits.</summary>
    public SipParserLimits Limits { get; set; } = SipParserLimits.Default;

    /// <summary>Throws when a value is out of range; called by <see cref="SipServer.StartAsync"/>.</summary>
    public void Validate()
    {
        if (!IPAddress.TryParse(ListenAddress, out _))
        {
            throw new InvalidOperationException("Sip:ListenAddress must be an IP address.");
        }

        if (Port is < 0 or > 65535)
        {
            throw new InvalidOperationException("Sip:Port must be 0-65535.");
        }

        if (AdvertisedAddress is not null && !IPAddress.TryParse(AdvertisedAddress, out _))
        {
            throw new InvalidOperationException("Sip:AdvertisedAddress must be an IP address.");
        }

        foreach (string network in AllowedNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                throw new InvalidOperationException("Sip:AllowedNetworks entries must be CIDR networks.");
            }
        }

        if (MinSessionExpires < TimeSpan.FromSeconds(90) || SessionExpires < MinSessionExpires)
        {
            throw new InvalidOperationException("Sip:MinSessionExpires must be at least 90 s and SessionExpires at least that.");
        }

        if (RtpPortMin < 0 || RtpPortMax > 65535 || RtpPortMin > RtpPortMax || (RtpPortMax > 0 && RtpPortMin < 1024))
        {
            throw new InvalidOperationException("Sip:RtpPortMin/RtpPortMax must be 0/0 or a range within 1024-65535.");
        }

        if (MaxConcurrentCalls < 1)
        {
            throw new InvalidOperationException("Sip:MaxConcurrentCalls must be at least 1.");
        }

        if (EnableTls && (TlsCertificatePath is null || !File.Exists(TlsCertificatePath)))
        {
            throw new InvalidOperationException("Sip:EnableTls needs Sip:TlsCertificatePath pointing to a certificate file.");
        }

        if (!EnableUdp && !EnableTcp && !EnableTls)
        {
            throw new InvalidOperationException("Enable at least one SIP transport.");
        }
    }
}

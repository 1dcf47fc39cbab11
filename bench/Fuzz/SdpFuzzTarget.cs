using System.Net;
using System.Text;
using MediaServer.Rtc.Ice;
using MediaServer.Rtc.Sdp;

namespace MediaServer.Fuzz;

/// <summary>SDP parser, writer and the WebRTC answerer on mutated browser offers.</summary>
public sealed class SdpFuzzTarget : IFuzzTarget
{
    private const string Offer =
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS s\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 110\r\nc=IN IP4 0.0.0.0\r\na=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\n" +
        "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n" +
        "a=fingerprint:sha-256 0F:74:31:25:CB:A2:13:EC:28:6F:6D:2C:61:FF:5D:C2:BC:B9:DB:3D:98:14:8D:1A:BB:EA:33:0C:A4:60:A8:8E\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n" +
        "a=rtpmap:110 telephone-event/48000\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n" +
        "a=sctp-port:5000\r\na=max-message-size:262144\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:2\r\na=rtpmap:96 VP8/90000\r\n";

    private readonly SdpAnswerOptions _options = new()
    {
        LocalUfrag = "srvU",
        LocalPassword = "serverpasswordserverpw",
        LocalFingerprint = SdpFingerprint.Compute("sha-256", [1, 2, 3]),
        Candidates = IceCandidate.HostCandidates([new IPEndPoint(IPAddress.Loopback, 40000)]),
    };

    public string Name => "sdp";

    public IReadOnlyList<byte[]> Seeds { get; } = [Encoding.UTF8.GetBytes(Offer), Encoding.UTF8.GetBytes(Offer.Replace("\r\n", "\n", StringComparison.Ordinal))];

    public IReadOnlyList<Type> ExpectedExceptions { get; } = [];

    public void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        if (SdpParser.TryParse(text, out var sdp) == SdpParseError.None)
        {
            _ = SdpWriter.Write(sdp);
        }

        var result = SdpAnswerer.Answer(text, _options);
        if (result.Succeeded && SdpParser.TryParse(result.Negotiated!.AnswerSdp, out _) != SdpParseError.None)
        {
            throw new InvalidOperationException("The answerer wrote an SDP its own parser refuses.");
        }
    }
}

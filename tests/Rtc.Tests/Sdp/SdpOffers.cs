namespace MediaServer.Rtc.Tests.Sdp;

/// <summary>Offers shaped like the ones real peers send (libwebrtc / Chromium, OpenAI clients with no candidates).</summary>
internal static class SdpOffers
{
    public const string Fingerprint = "sha-256 0F:74:31:25:CB:A2:13:EC:28:6F:6D:2C:61:FF:5D:C2:BC:B9:DB:3D:98:14:8D:1A:BB:EA:33:0C:A4:60:A8:8E";

    public static string Browser(string setup = "actpass", string audioDirection = "sendrecv", bool withCandidates = true, bool withVideo = false) =>
        "v=0\r\n" +
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "t=0 0\r\n" +
        "a=group:BUNDLE 0 1" + (withVideo ? " 2" : string.Empty) + "\r\n" +
        "a=extmap-allow-mixed\r\n" +
        "a=msid-semantic: WMS stream1\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n" +
        "c=IN IP4 0.0.0.0\r\n" +
        "a=rtcp:9 IN IP4 0.0.0.0\r\n" +
        (withCandidates ? "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0\r\n" : string.Empty) +
        "a=ice-ufrag:abcd\r\n" +
        "a=ice-pwd:0123456789012345678901\r\n" +
        "a=ice-options:trickle\r\n" +
        "a=fingerprint:" + Fingerprint + "\r\n" +
        "a=setup:" + setup + "\r\n" +
        "a=mid:0\r\n" +
        "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n" +
        "a=" + audioDirection + "\r\n" +
        "a=msid:stream1 track1\r\n" +
        "a=rtcp-mux\r\n" +
        "a=rtpmap:111 opus/48000/2\r\n" +
        "a=rtcp-fb:111 transport-cc\r\n" +
        "a=fmtp:111 minptime=10;useinbandfec=1\r\n" +
        "a=rtpmap:63 red/48000/2\r\n" +
        "a=fmtp:63 111/111\r\n" +
        "a=rtpmap:9 G722/8000\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:13 CN/8000\r\n" +
        "a=rtpmap:110 telephone-event/48000\r\n" +
        "a=rtpmap:126 telephone-event/8000\r\n" +
        "a=ssrc:1001 cname:xyz\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" +
        "c=IN IP4 0.0.0.0\r\n" +
        "a=ice-ufrag:abcd\r\n" +
        "a=ice-pwd:0123456789012345678901\r\n" +
        "a=fingerprint:" + Fingerprint + "\r\n" +
        "a=setup:" + setup + "\r\n" +
        "a=mid:1\r\n" +
        "a=sctp-port:5000\r\n" +
        "a=max-message-size:262144\r\n" +
        (withVideo
            ? "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n"
            : string.Empty);
}

using System.Globalization;
using System.Net;
using System.Text;
using MediaServer.Rtc.Sdp;

namespace MediaServer.SipBridge.Media;

/// <summary>The outcome of SDP offer/answer for one telephone audio stream.</summary>
/// <param name="Remote">Where the peer wants RTP (c= and m= port); null when it gave 0.0.0.0 (RFC 2543 hold).</param>
/// <param name="PayloadType">Chosen audio payload type (0 PCMU, 8 PCMA, or dynamic).</param>
/// <param name="Codec"><c>pcmu</c> or <c>pcma</c>.</param>
/// <param name="TelephoneEventPayloadType">RFC 4733 payload type offered at 8000 Hz, or null.</param>
/// <param name="OfferedDirection">The direction the offer asked for.</param>
public sealed record SipAudioNegotiation(IPEndPoint? Remote, int PayloadType, string Codec, int? TelephoneEventPayloadType, SipMediaDirection OfferedDirection)
{
    /// <summary>Our direction in the answer.</summary>
    public SipMediaDirection AnswerDirection => SipMediaDirections.Answer(OfferedDirection);
}

/// <summary>
/// SDP offer/answer for a SIP trunk call (RFC 3264): picks the first of PCMU/PCMA the offer lists (in the
/// offerer's preference order, §6.1), keeps telephone-event/8000 (RFC 4733 §7.1.1), mirrors direction, and
/// writes the answer or an offer.
/// </summary>
public static class SipAudioSdp
{
    /// <summary>Negotiates; false (answer 488, RFC 3261 §13.3.1.3) when there is no audio we can use.</summary>
    public static bool TryNegotiate(string offer, out SipAudioNegotiation? result)
    {
        result = null;
        if (SdpParser.TryParse(offer, out var sdp) != SdpParseError.None)
        {
            return false;
        }

        var audio = sdp.Media.FirstOrDefault(m => m.Media == "audio" && m.Port != 0 && m.Protocol.StartsWith("RTP/AVP", StringComparison.Ordinal));
        if (audio is null)
        {
            return false;
        }

        var rtpmaps = new Dictionary<int, string>();
        foreach (string map in audio.GetAttributes("rtpmap"))
        {
            int sp = map.IndexOf(' ', StringComparison.Ordinal);
            if (sp > 0 && int.TryParse(map.AsSpan(0, sp), NumberStyles.None, CultureInfo.InvariantCulture, out int pt))
            {
                rtpmaps[pt] = map[(sp + 1)..].Trim().ToLowerInvariant();
            }
        }

        int chosen = -1;
        string codec = string.Empty;
        int? telephoneEvent = null;
        foreach (string format in audio.Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out int pt))
            {
                continue;
            }

            string name = rtpmaps.TryGetValue(pt, out var n) ? n : pt switch { 0 => "pcmu/8000", 8 => "pcma/8000", _ => string.Empty };
            if (chosen < 0 && (name.StartsWith("pcmu/8000", StringComparison.Ordinal) || name.StartsWith("pcma/8000", StringComparison.Ordinal)))
            {
                chosen = pt;
                codec = name[..4];
            }
            else if (telephoneEvent is null && name.StartsWith("telephone-event/8000", StringComparison.Ordinal))
            {
                telephoneEvent = pt;
            }
        }

        if (chosen < 0)
        {
            return false;
        }

        string? connection = audio.Connection ?? sdp.Connection;
        IPEndPoint? remote = null;
        if (connection is not null)
        {
            string[] c = connection.Split(' ');
            string host = c.Length >= 3 ? c[2].Split('/')[0] : string.Empty;
            if (IPAddress.TryParse(host, out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
            {
                remote = new IPEndPoint(address, audio.Port);
            }
        }

        var direction = (audio.Attributes.Concat(sdp.Attributes).FirstOrDefault(a => a.Name is "sendrecv" or "sendonly" or "recvonly" or "inactive")?.Name) switch
        {
            "sendonly" => SipMediaDirection.SendOnly,
            "recvonly" => SipMediaDirection.RecvOnly,
            "inactive" => SipMediaDirection.Inactive,
            _ => SipMediaDirection.SendRecv,
        };
        if (remote is null && direction == SipMediaDirection.SendRecv)
        {
            direction = SipMediaDirection.SendOnly; // c=0.0.0.0: RFC 2543 hold (RFC 3264 §8.4)
        }

        result = new SipAudioNegotiation(remote, chosen, codec, telephoneEvent, direction);
        return true;
    }

    /// <summary>Writes our initial offer: PCMU, PCMA and telephone-event 101, sendrecv.</summary>
    public static string WriteOffer(IPAddress local, int rtpPort, long sessionId)
    {
        string sdp = Write(local, rtpPort, 0, "pcmu", 101, SipMediaDirection.SendRecv, sessionId, 1);
        return sdp.Replace("RTP/AVP 0 101", "RTP/AVP 0 8 101", StringComparison.Ordinal)
                  .Replace("a=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n", StringComparison.Ordinal);
    }

    /// <summary>Writes our answer (or a refresh offer) for a negotiated stream.</summary>
    public static string Write(IPAddress local, int rtpPort, int payloadType, string codec, int? telephoneEvent, SipMediaDirection direction, long sessionId, long version)
    {
        string ip = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        var sb = new StringBuilder();
        sb.Append("v=0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"o=- {sessionId} {version} IN {ip} {local}\r\n");
        sb.Append("s=MediaServer\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"c=IN {ip} {local}\r\n");
        sb.Append("t=0 0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"m=audio {rtpPort} RTP/AVP {payloadType}");
        if (telephoneEvent is int te)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {te}");
        }

        sb.Append("\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{payloadType} {codec.ToUpperInvariant()}/8000\r\n");
        if (telephoneEvent is int t)
        {
            sb.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{t} telephone-event/8000\r\n");
            sb.Append(CultureInfo.InvariantCulture, $"a=fmtp:{t} 0-16\r\n");
        }

        sb.Append("a=ptime:20\r\n");
        sb.Append("a=").Append(SipMediaDirections.ToAttribute(direction)).Append("\r\n");
        return sb.ToString();
    }
}

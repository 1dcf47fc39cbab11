using System.Globalization;
using MediaServer.Rtc.Dtls;

namespace MediaServer.Rtc.Sdp;

/// <summary>
/// Answers a WebRTC offer (RFC 8829 section 5.3, RFC 3264): accepts one Opus/48000/2 audio section (plus
/// telephone-event/48000) and one <c>webrtc-datachannel</c> section, rejects every other section with port 0,
/// and fails with a <see cref="SdpOfferError"/> when the offer cannot be served at all. The answer is ICE-lite,
/// BUNDLEs what it accepts, carries our candidates and <c>a=end-of-candidates</c> (we gather nothing later).
/// </summary>
public static class SdpAnswerer
{
    /// <summary>Builds the answer to <paramref name="offerSdp"/>.</summary>
    public static SdpAnswerResult Answer(string? offerSdp, SdpAnswerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parseError = SdpParser.TryParse(offerSdp, out var offer);
        if (parseError != SdpParseError.None)
        {
            return SdpAnswerResult.Fail(SdpOfferError.Unparseable, $"The offer is not a valid SDP ({parseError}).");
        }

        return Answer(offer, options);
    }

    /// <summary>Builds the answer to a parsed offer.</summary>
    public static SdpAnswerResult Answer(SdpSessionDescription offer, SdpAnswerOptions options)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(options);
        var bundle = BundleMids(offer);

        // Choose the sections we serve: the first Opus audio and the first data channel, both in the offer's first
        // BUNDLE group when there is one (everything then shares our one transport, RFC 8843).
        int audioIndex = -1, dataIndex = -1;
        bool sawAudio = false;
        for (int i = 0; i < offer.Media.Count; i++)
        {
            var m = offer.Media[i];
            if (m.Port == 0 || (bundle is not null && (m.Mid is null || !bundle.Contains(m.Mid))))
            {
                continue;
            }

            if (audioIndex < 0 && m.Media == "audio" && m.Protocol.Contains("RTP/SAVP", StringComparison.OrdinalIgnoreCase))
            {
                sawAudio = true;
                if (FindRtpMap(m, "opus", 48000, 2) is not null)
                {
                    audioIndex = i;
                }
            }
            else if (dataIndex < 0 && m.Media == "application" && m.Protocol.EndsWith("DTLS/SCTP", StringComparison.OrdinalIgnoreCase)
                && m.Formats.Contains("webrtc-datachannel"))
            {
                dataIndex = i;
            }
        }

        if (audioIndex < 0)
        {
            return sawAudio
                ? SdpAnswerResult.Fail(SdpOfferError.NoOpus, "The offer's audio section has no opus/48000/2 codec.")
                : SdpAnswerResult.Fail(SdpOfferError.NoAudio, "The offer has no audio section (UDP/TLS/RTP/SAVPF) to carry the call.");
        }

        if (bundle is null)
        {
            dataIndex = -1; // Without BUNDLE a second section would need its own transport; we have one.
        }

        var audio = offer.Media[audioIndex];
        string? ufrag = audio.GetAttribute("ice-ufrag") ?? offer.GetAttribute("ice-ufrag");
        string? pwd = audio.GetAttribute("ice-pwd") ?? offer.GetAttribute("ice-pwd");
        if (ufrag is null || pwd is null || ufrag.Length is < 4 or > 256 || pwd.Length is < 22 or > 256)
        {
            return SdpAnswerResult.Fail(SdpOfferError.MissingIceCredentials, "The offer lacks a valid a=ice-ufrag / a=ice-pwd.");
        }

        string? fingerprintText = audio.GetAttribute("fingerprint") ?? offer.GetAttribute("fingerprint");
        if (fingerprintText is null)
        {
            return SdpAnswerResult.Fail(SdpOfferError.MissingFingerprint, "The offer has no a=fingerprint; DTLS-SRTP requires one.");
        }

        if (!SdpFingerprint.TryParse(fingerprintText, out var remoteFingerprint))
        {
            return SdpAnswerResult.Fail(SdpOfferError.UnsupportedFingerprint, "The offer's a=fingerprint uses an unknown hash or is malformed.");
        }

        if (!audio.HasAttribute("rtcp-mux"))
        {
            return SdpAnswerResult.Fail(SdpOfferError.NoRtcpMux, "The offer's audio section lacks a=rtcp-mux.");
        }

        string setup = (audio.GetAttribute("setup") ?? offer.GetAttribute("setup") ?? "actpass").Trim().ToLowerInvariant();
        DtlsRole role;
        switch (setup)
        {
            case "actpass": role = options.PreferredRole; break;
            case "active": role = DtlsRole.Server; break;
            case "passive": role = DtlsRole.Client; break;
            default: return SdpAnswerResult.Fail(SdpOfferError.InvalidSetup, "The offer's a=setup must be actpass, active or passive.");
        }

        byte opusPt = FindRtpMap(audio, "opus", 48000, 2)!.Value;
        byte? dtmfPt = FindRtpMap(audio, "telephone-event", 48000, null);
        string direction = Direction(audio);
        bool peerSends = direction is "sendrecv" or "sendonly";
        bool peerReceives = direction is "sendrecv" or "recvonly";
        string answerDirection = (peerSends, peerReceives) switch
        {
            (true, true) => "sendrecv",
            (true, false) => "recvonly",
            (false, true) => "sendonly",
            _ => "inactive",
        };

        int sctpPort = 5000;
        long maxMessageSize = 65536;
        if (dataIndex >= 0)
        {
            var data = offer.Media[dataIndex];
            if (int.TryParse(data.GetAttribute("sctp-port"), NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and < 65536)
            {
                sctpPort = p;
            }

            if (long.TryParse(data.GetAttribute("max-message-size"), NumberStyles.None, CultureInfo.InvariantCulture, out long mms))
            {
                maxMessageSize = mms == 0 ? long.MaxValue : mms;
            }
        }

        var answer = BuildAnswer(offer, options, audioIndex, dataIndex, role, opusPt, dtmfPt, answerDirection, peerReceives);
        return SdpAnswerResult.Ok(new WebRtcOfferAnswer
        {
            AnswerSdp = SdpWriter.Write(answer),
            RemoteUfrag = ufrag,
            RemotePassword = pwd,
            RemoteFingerprint = remoteFingerprint,
            DtlsRole = role,
            AudioMid = audio.Mid ?? "0",
            OpusPayloadType = opusPt,
            TelephoneEventPayloadType = dtmfPt,
            SendAudio = peerReceives,
            ReceiveAudio = peerSends,
            DataMid = dataIndex >= 0 ? offer.Media[dataIndex].Mid ?? string.Empty : null,
            RemoteSctpPort = sctpPort,
            RemoteMaxMessageSize = maxMessageSize,
            OpusFmtp = audio.GetAttributes("fmtp").FirstOrDefault(f => f.StartsWith(opusPt.ToString(CultureInfo.InvariantCulture) + " ", StringComparison.Ordinal)),
        });
    }

    private static SdpSessionDescription BuildAnswer(SdpSessionDescription offer, SdpAnswerOptions options, int audioIndex, int dataIndex,
        DtlsRole role, byte opusPt, byte? dtmfPt, string direction, bool weSend)
    {
        var first = options.Candidates.Count > 0 ? options.Candidates[0].EndPoint : new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9);
        string ipVersion = first.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        string connection = $"IN {ipVersion} {first.Address}";
        var answer = new SdpSessionDescription
        {
            Origin = string.Create(CultureInfo.InvariantCulture, $"- {options.SessionId} 2 IN {ipVersion} {first.Address}"),
            SessionName = "-",
            Timing = "0 0",
        };

        var accepted = new List<string>();
        for (int i = 0; i < offer.Media.Count; i++)
        {
            if ((i == audioIndex || i == dataIndex) && offer.Media[i].Mid is { } mid)
            {
                accepted.Add(mid);
            }
        }

        if (dataIndex >= 0 && accepted.Count > 0)
        {
            answer.Attributes.Add(new SdpAttribute("group", "BUNDLE " + string.Join(' ', accepted)));
        }
        else if (offer.Media[audioIndex].Mid is { } audioMid && BundleMids(offer) is not null)
        {
            answer.Attributes.Add(new SdpAttribute("group", "BUNDLE " + audioMid));
        }

        answer.Attributes.Add(new SdpAttribute("ice-lite", null));
        answer.Attributes.Add(new SdpAttribute("msid-semantic", " WMS " + options.StreamId));

        for (int i = 0; i < offer.Media.Count; i++)
        {
            var o = offer.Media[i];
            if (i == audioIndex)
            {
                var m = new SdpMediaDescription { Media = "audio", Port = first.Port, Protocol = o.Protocol, Connection = connection };
                m.Formats.Add(opusPt.ToString(CultureInfo.InvariantCulture));
                if (dtmfPt is { } d)
                {
                    m.Formats.Add(d.ToString(CultureInfo.InvariantCulture));
                }

                AddTransport(m, o, options, role);
                m.Attributes.Add(new SdpAttribute(direction, null));
                if (weSend)
                {
                    m.Attributes.Add(new SdpAttribute("msid", options.StreamId + " " + options.TrackId));
                }

                m.Attributes.Add(new SdpAttribute("rtcp-mux", null));
                m.Attributes.Add(new SdpAttribute("rtpmap", string.Create(CultureInfo.InvariantCulture, $"{opusPt} opus/48000/2")));
                m.Attributes.Add(new SdpAttribute("fmtp", string.Create(CultureInfo.InvariantCulture, $"{opusPt} minptime=10;useinbandfec=1")));
                if (dtmfPt is { } dt)
                {
                    m.Attributes.Add(new SdpAttribute("rtpmap", string.Create(CultureInfo.InvariantCulture, $"{dt} telephone-event/48000")));
                    m.Attributes.Add(new SdpAttribute("fmtp", string.Create(CultureInfo.InvariantCulture, $"{dt} 0-16")));
                }

                if (weSend)
                {
                    m.Attributes.Add(new SdpAttribute("ssrc", string.Create(CultureInfo.InvariantCulture, $"{options.Ssrc} cname:{options.CName}")));
                    m.Attributes.Add(new SdpAttribute("ssrc", string.Create(CultureInfo.InvariantCulture, $"{options.Ssrc} msid:{options.StreamId} {options.TrackId}")));
                }

                AddCandidates(m, options);
                answer.Media.Add(m);
            }
            else if (i == dataIndex)
            {
                var m = new SdpMediaDescription { Media = "application", Port = first.Port, Protocol = o.Protocol, Connection = connection };
                m.Formats.Add("webrtc-datachannel");
                AddTransport(m, o, options, role);
                m.Attributes.Add(new SdpAttribute("sctp-port", options.SctpPort.ToString(CultureInfo.InvariantCulture)));
                m.Attributes.Add(new SdpAttribute("max-message-size", options.MaxMessageSize.ToString(CultureInfo.InvariantCulture)));
                AddCandidates(m, options);
                answer.Media.Add(m);
            }
            else
            {
                // RFC 3264 section 6: a rejected stream keeps its m= line with port 0; keep the mid so BUNDLE
                // bookkeeping on the offerer's side lines up (RFC 8843 section 7.3.3).
                var m = new SdpMediaDescription { Media = o.Media, Port = 0, Protocol = o.Protocol, Connection = connection };
                m.Formats.Add(o.Formats.Count > 0 ? o.Formats[0] : "0");
                if (o.Mid is { } mid)
                {
                    m.Attributes.Add(new SdpAttribute("mid", mid));
                }

                m.Attributes.Add(new SdpAttribute("inactive", null));
                answer.Media.Add(m);
            }
        }

        return answer;
    }

    private static void AddTransport(SdpMediaDescription m, SdpMediaDescription offered, SdpAnswerOptions options, DtlsRole role)
    {
        if (offered.Mid is { } mid)
        {
            m.Attributes.Add(new SdpAttribute("mid", mid));
        }

        m.Attributes.Add(new SdpAttribute("ice-ufrag", options.LocalUfrag));
        m.Attributes.Add(new SdpAttribute("ice-pwd", options.LocalPassword));
        m.Attributes.Add(new SdpAttribute("fingerprint", options.LocalFingerprint.ToString()));
        m.Attributes.Add(new SdpAttribute("setup", role == DtlsRole.Client ? "active" : "passive"));
    }

    private static void AddCandidates(SdpMediaDescription m, SdpAnswerOptions options)
    {
        foreach (var candidate in options.Candidates)
        {
            m.Attributes.Add(new SdpAttribute("candidate", candidate.ToSdpValue()));
        }

        m.Attributes.Add(new SdpAttribute("end-of-candidates", null));
    }

    /// <summary>The mids of the first <c>a=group:BUNDLE</c> (RFC 8843 section 7.1), or null without one.</summary>
    private static HashSet<string>? BundleMids(SdpSessionDescription offer)
    {
        foreach (var group in offer.GetAttributes("group"))
        {
            var parts = group.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 1 && parts[0] == "BUNDLE")
            {
                return new HashSet<string>(parts.Skip(1), StringComparer.Ordinal);
            }
        }

        return null;
    }

    private static string Direction(SdpMediaDescription m)
    {
        foreach (var a in m.Attributes)
        {
            if (a.Value is null && a.Name is "sendrecv" or "sendonly" or "recvonly" or "inactive")
            {
                return a.Name;
            }
        }

        return "sendrecv";
    }

    /// <summary>Finds <c>a=rtpmap:&lt;pt&gt; name/clock[/channels]</c> among the section's formats (RFC 8866 section 6.6).</summary>
    internal static byte? FindRtpMap(SdpMediaDescription m, string encoding, int clockRate, int? channels)
    {
        foreach (var value in m.GetAttributes("rtpmap"))
        {
            int space = value.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || !byte.TryParse(value.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out byte pt) || pt > 127)
            {
                continue;
            }

            var parts = value[(space + 1)..].Trim().Split('/');
            if (parts.Length < 2 || !string.Equals(parts[0], encoding, StringComparison.OrdinalIgnoreCase)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int clock) || clock != clockRate)
            {
                continue;
            }

            int ch = parts.Length > 2 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? c : 1;
            if (channels is { } want && ch != want)
            {
                continue;
            }

            if (m.Formats.Contains(pt.ToString(CultureInfo.InvariantCulture)))
            {
                return pt;
            }
        }

        return null;
    }
}

using System.Globalization;
using System.Net;

namespace MediaServer.Rtc.Ice;

/// <summary>
/// A host candidate we advertise (RFC 8445 section 5.1.1, SDP grammar in RFC 8839 section 5.1). An ICE-lite agent
/// has only host candidates (RFC 8445 section 2.5); a public address behind a 1:1 NAT is advertised as host too.
/// </summary>
public sealed record IceCandidate(string Foundation, int Component, uint Priority, IPEndPoint EndPoint)
{
    /// <summary>Type preference for host candidates (RFC 8445 section 5.1.2.2 recommends 126).</summary>
    public const int HostTypePreference = 126;

    /// <summary>
    /// Priority formula of RFC 8445 section 5.1.2.1: (2^24)*type + (2^8)*local + (256 - component).
    /// </summary>
    public static uint ComputePriority(int typePreference, int localPreference, int component) =>
        (uint)((typePreference << 24) | (localPreference << 8) | (256 - component));

    /// <summary>Host candidates for <paramref name="endPoints"/>, the first with the highest local preference.</summary>
    public static IReadOnlyList<IceCandidate> HostCandidates(IReadOnlyList<IPEndPoint> endPoints)
    {
        var list = new List<IceCandidate>(endPoints.Count);
        for (int i = 0; i < endPoints.Count; i++)
        {
            int localPreference = Math.Max(0, 65535 - i);
            list.Add(new IceCandidate((i + 1).ToString(CultureInfo.InvariantCulture), 1, ComputePriority(HostTypePreference, localPreference, 1), endPoints[i]));
        }

        return list;
    }

    /// <summary>The <c>a=candidate</c> value: <c>foundation component udp priority address port typ host</c>.</summary>
    public string ToSdpValue() => string.Create(CultureInfo.InvariantCulture,
        $"{Foundation} {Component} udp {Priority} {EndPoint.Address} {EndPoint.Port} typ host");
}

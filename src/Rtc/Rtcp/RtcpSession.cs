using System.Text;
using MediaServer.Rtc.Rtp;

namespace MediaServer.Rtc.Rtcp;

/// <summary>
/// RTCP for one audio stream (RFC 3550 section 6): counts what we send, keeps reception statistics of the remote
/// source, writes compound reports (SR when we sent since the last report, else RR, always with SDES CNAME) when
/// they are due on the media clock, and reads the peer's reports for LSR/DLSR and round-trip time. Interval: 5 s
/// with the 0.5-1.5 randomisation of section 6.3.1 (small sessions). Not thread safe; the owner's loop drives it.
/// </summary>
public sealed class RtcpSession
{
    private readonly TimeProvider _time;
    private readonly int _clockRate;
    private readonly byte[] _cname;
    private readonly Random _random;
    private readonly TimeSpan _interval;
    private TimeSpan _nextReport;
    private bool _sentSinceReport;
    private uint _lastRtpTimestamp;
    private TimeSpan _lastRtpTime;
    private bool _haveSent;

    /// <param name="localSsrc">Our SSRC.</param>
    /// <param name="cname">Our canonical name (RFC 7022: a random per-session string is fine).</param>
    /// <param name="clockRate">RTP clock rate of what we send and receive.</param>
    /// <param name="timeProvider">Wall clock for NTP timestamps.</param>
    /// <param name="interval">Mean report interval; RFC 3550's minimum of 5 s by default.</param>
    public RtcpSession(uint localSsrc, string cname, int clockRate, TimeProvider? timeProvider = null, TimeSpan? interval = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(cname);
        LocalSsrc = localSsrc;
        _cname = Encoding.UTF8.GetBytes(cname);
        if (_cname.Length > 255)
        {
            throw new ArgumentException("CNAME longer than 255 bytes.", nameof(cname));
        }

        _clockRate = clockRate;
        _time = timeProvider ?? TimeProvider.System;
        _interval = interval ?? TimeSpan.FromSeconds(5);
        _random = seed is int s ? new Random(s) : new Random();
        _nextReport = TimeSpan.Zero;
    }

    public uint LocalSsrc { get; }

    public uint PacketsSent { get; private set; }

    public uint OctetsSent { get; private set; }

    /// <summary>Statistics of the remote source, once a packet has come.</summary>
    public RtpReceiveStatistics? Remote { get; private set; }

    /// <summary>Latest round-trip time from the peer's report blocks about us.</summary>
    public TimeSpan? RoundTripTime { get; private set; }

    /// <summary>The peer's CNAME, once an SDES has come.</summary>
    public string? RemoteCName { get; private set; }

    /// <summary>True once the peer sent BYE.</summary>
    public bool RemoteLeft { get; private set; }

    public long NacksReceived { get; private set; }

    public long PictureLossIndicationsReceived { get; private set; }

    public long MalformedReceived { get; private set; }

    /// <summary>Accounts an RTP packet we sent (<paramref name="now"/> on the media clock).</summary>
    public void OnRtpSent(uint rtpTimestamp, int payloadBytes, TimeSpan now)
    {
        PacketsSent++;
        OctetsSent += (uint)payloadBytes;
        _lastRtpTimestamp = rtpTimestamp;
        _lastRtpTime = now;
        _haveSent = true;
        _sentSinceReport = true;
    }

    /// <summary>Accounts an RTP packet received from the peer.</summary>
    public void OnRtpReceived(uint ssrc, ushort sequence, uint timestamp, TimeSpan arrival)
    {
        Remote ??= new RtpReceiveStatistics(ssrc, _clockRate);
        if (Remote.Ssrc == ssrc)
        {
            Remote.Update(sequence, timestamp, arrival);
        }
    }

    /// <summary>True when a report is due at <paramref name="now"/> (media clock time).</summary>
    public bool IsReportDue(TimeSpan now) => now >= _nextReport;

    /// <summary>Longest compound report this session writes.</summary>
    public int MaxReportLength => RtcpSenderReport.GetLength(1) + RtcpSourceDescription.GetLength(_cname.Length);

    /// <summary>
    /// Writes the compound report (SR or RR, then SDES) and schedules the next one; returns its length.
    /// </summary>
    public int WriteReport(Span<byte> dst, TimeSpan now)
    {
        Span<RtpReceptionReport> blocks = stackalloc RtpReceptionReport[1];
        int count = 0;
        if (Remote is not null && Remote.PacketsReceived > 0)
        {
            blocks[0] = Remote.CreateReport(now);
            count = 1;
        }

        int length;
        if (_sentSinceReport && _haveSent)
        {
            ulong ntp = NtpTime.FromDateTime(_time.GetUtcNow());

            // The RTP timestamp of this same instant, extrapolated from the last packet sent (section 6.4.1).
            uint rtp = _lastRtpTimestamp + (uint)((now - _lastRtpTime).TotalSeconds * _clockRate);
            length = RtcpSenderReport.Write(dst, LocalSsrc, ntp, rtp, PacketsSent, OctetsSent, blocks[..count]);
        }
        else
        {
            length = RtcpReceiverReport.Write(dst, LocalSsrc, blocks[..count]);
        }

        length += RtcpSourceDescription.WriteCName(dst[length..], LocalSsrc, _cname);
        _sentSinceReport = false;
        _nextReport = now + TimeSpan.FromTicks((long)(_interval.Ticks * (0.5 + _random.NextDouble())));
        return length;
    }

    /// <summary>Writes BYE for our SSRC (send it when the call ends).</summary>
    public int WriteBye(Span<byte> dst)
    {
        int length = RtcpReceiverReport.Write(dst, LocalSsrc, []);
        Span<uint> sources = [LocalSsrc];
        return length + RtcpGoodbye.Write(dst[length..], sources);
    }

    /// <summary>Reads a (possibly reduced-size) compound packet from the peer. Never throws on bad input.</summary>
    public void Process(ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        var walk = new RtcpCompound(datagram);
        while (walk.MoveNext())
        {
            var packet = walk.Current;
            switch (packet.PacketType)
            {
                case RtcpPacketType.SenderReport when RtcpSenderReport.TryRead(packet, out var sr) == RtcpParseError.None:
                    if (Remote is not null && Remote.Ssrc == sr.Ssrc)
                    {
                        Remote.OnSenderReport(sr.NtpTimestamp, now);
                    }

                    for (int i = 0; i < sr.ReportCount; i++)
                    {
                        OnReportBlock(sr.GetReport(i));
                    }

                    break;
                case RtcpPacketType.ReceiverReport when RtcpReceiverReport.TryRead(packet, out var rr) == RtcpParseError.None:
                    for (int i = 0; i < rr.ReportCount; i++)
                    {
                        OnReportBlock(rr.GetReport(i));
                    }

                    break;
                case RtcpPacketType.SourceDescription:
                    RemoteCName ??= RtcpSourceDescription.GetCName(packet);
                    break;
                case RtcpPacketType.Goodbye:
                    RemoteLeft = true;
                    break;
                case RtcpPacketType.TransportFeedback or RtcpPacketType.PayloadFeedback when RtcpFeedback.TryRead(packet, out var fb) == RtcpParseError.None:
                    if (fb.IsGenericNack)
                    {
                        NacksReceived++;
                    }
                    else if (fb.IsPictureLossIndication)
                    {
                        PictureLossIndicationsReceived++;
                    }

                    break;
                default:
                    break;
            }
        }

        if (walk.Error != RtcpParseError.None)
        {
            MalformedReceived++;
        }
    }

    private void OnReportBlock(in RtpReceptionReport block)
    {
        if (block.Ssrc != LocalSsrc)
        {
            return;
        }

        uint arrival = NtpTime.Compact(NtpTime.FromDateTime(_time.GetUtcNow()));
        if (NtpTime.RoundTrip(arrival, block.LastSenderReport, block.DelaySinceLastSenderReport) is TimeSpan rtt)
        {
            RoundTripTime = rtt;
        }
    }
}

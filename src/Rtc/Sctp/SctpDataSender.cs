using System.Buffers.Binary;

namespace MediaServer.Rtc.Sctp;

/// <summary>
/// The sending half of an association: fragments messages into DATA chunks (RFC 9260 section 6.9), assigns TSNs
/// and SSNs, keeps what is in flight until acknowledged, measures RTT and computes RTO (section 6.3), retransmits
/// on T3-rtx expiry and after three miss indications (section 7.2.4), and limits sending by the congestion window
/// (section 7.2: slow start, congestion avoidance, fast recovery) and the peer's receive window.
/// </summary>
internal sealed class SctpDataSender
{
    private readonly SctpOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<ushort, ushort> _nextSsn = [];
    private readonly int _mtu;
    private TimeSpan _srtt;
    private TimeSpan _rttvar;
    private bool _hasRtt;
    private bool _inFastRecovery;
    private uint _fastRecoveryExit;

    public SctpDataSender(SctpOptions options, TimeProvider time, uint initialTsn)
    {
        _options = options;
        _time = time;
        _mtu = options.MaxPacketSize;
        NextTsn = initialTsn;
        CumAckTsn = initialTsn - 1;
        Rto = options.RtoInitial;
        Cwnd = Math.Min(4 * _mtu, Math.Max(2 * _mtu, 4380));
        Ssthresh = int.MaxValue;
        PeerRwnd = (uint)options.ReceiveWindow;
    }

    public Queue<SctpOutboundChunk> Pending { get; } = new();

    /// <summary>Sent and not cumulatively acknowledged, in TSN order (TSNs are consecutive).</summary>
    public List<SctpOutboundChunk> Inflight { get; } = [];

    public uint NextTsn { get; private set; }

    public uint CumAckTsn { get; private set; }

    public TimeSpan Rto { get; private set; }

    public int Cwnd { get; private set; }

    public int Ssthresh { get; private set; }

    public uint PeerRwnd { get; set; }

    public long T3Deadline { get; set; }

    public int ErrorCount { get; set; }

    public long Retransmissions { get; private set; }

    /// <summary>Payload bytes queued or in flight.</summary>
    public long BufferedBytes { get; private set; }

    /// <summary>Largest DATA payload per chunk: packet minus common header and DATA chunk header.</summary>
    public int MaxChunkPayload => _mtu - SctpPacket.HeaderLength - 16;

    /// <summary>Bytes outstanding on the wire (section 6.1): in flight, not gap-acked, not waiting for retransmission.</summary>
    public int FlightSize
    {
        get
        {
            int size = 0;
            foreach (var c in Inflight)
            {
                if (!c.GapAcked && !c.NeedsRetransmit)
                {
                    size += c.WireSize;
                }
            }

            return size;
        }
    }

    /// <summary>Queues a message as one or more DATA chunks; false when it exceeds limits.</summary>
    public bool Enqueue(ushort stream, uint ppid, ReadOnlySpan<byte> data, bool ordered)
    {
        if (data.IsEmpty || data.Length > _options.MaxMessageSize || BufferedBytes + data.Length > _options.MaxBufferedBytes)
        {
            return false;
        }

        ushort ssn = 0;
        if (ordered)
        {
            _nextSsn.TryGetValue(stream, out ssn);
            _nextSsn[stream] = (ushort)(ssn + 1);
        }

        int max = MaxChunkPayload;
        for (int offset = 0; offset < data.Length; offset += max)
        {
            int n = Math.Min(max, data.Length - offset);
            byte flags = (byte)((ordered ? 0 : 0x04) | (offset == 0 ? 0x02 : 0) | (offset + n == data.Length ? 0x01 : 0));
            Pending.Enqueue(new SctpOutboundChunk
            {
                Stream = stream,
                Ssn = ssn,
                Ppid = ppid,
                Flags = flags,
                Payload = data.Slice(offset, n).ToArray(),
            });
        }

        BufferedBytes += data.Length;
        return true;
    }

    /// <summary>Resets the outgoing SSN of a stream to 0 (RFC 6525 section 5.1.2).</summary>
    public void ResetOutgoingSsn(ushort stream) => _nextSsn.Remove(stream);

    /// <summary>
    /// Writes retransmissions, then new chunks allowed by cwnd and the peer window, into <paramref name="writer"/>.
    /// Returns the number of chunks written.
    /// </summary>
    public int Fill(ref SctpPacketWriter writer)
    {
        long now = _time.GetTimestamp();
        int written = 0;
        foreach (var c in Inflight)
        {
            if (!c.NeedsRetransmit)
            {
                continue;
            }

            if (SctpPacketWriter.ChunkSize(12 + c.Payload.Length) > writer.Remaining)
            {
                return written;
            }

            WriteData(ref writer, c);
            c.NeedsRetransmit = false;
            c.Transmissions++;
            c.SentAt = now;
            Retransmissions++;
            written++;
        }

        int flight = FlightSize;
        while (Pending.Count > 0)
        {
            var c = Pending.Peek();
            int size = c.WireSize;
            if (SctpPacketWriter.ChunkSize(12 + c.Payload.Length) > writer.Remaining)
            {
                break;
            }

            if (flight > 0 && (flight + size > Cwnd || PeerRwnd < (uint)size))
            {
                break;
            }

            Pending.Dequeue();
            c.Tsn = NextTsn++;
            c.Transmissions = 1;
            c.SentAt = now;
            Inflight.Add(c);
            WriteData(ref writer, c);
            flight += size;
            PeerRwnd = PeerRwnd > (uint)size ? PeerRwnd - (uint)size : 0;
            written++;
        }

        if (written > 0 && T3Deadline == 0)
        {
            T3Deadline = now + Ticks(Rto);
        }

        return written;
    }

    /// <summary>Processes a SACK value (section 6.2.1). Returns false for a malformed chunk.</summary>
    public bool OnSack(ReadOnlySpan<byte> v)
    {
        if (v.Length < 12)
        {
            return false;
        }

        uint cum = BinaryPrimitives.ReadUInt32BigEndian(v);
        uint arwnd = BinaryPrimitives.ReadUInt32BigEndian(v[4..]);
        int gaps = BinaryPrimitives.ReadUInt16BigEndian(v[8..]);
        int dups = BinaryPrimitives.ReadUInt16BigEndian(v[10..]);
        if (12 + (4 * gaps) + (4 * dups) > v.Length)
        {
            return false;
        }

        if (SctpSerial.Lt(cum, CumAckTsn) || SctpSerial.Ge(cum, NextTsn))
        {
            return true; // stale or acknowledging what we never sent: ignore
        }

        int bytesAcked = ProcessCumulativeAck(cum);
        uint highestGapAcked = cum;
        for (int i = 0; i < gaps && Inflight.Count > 0; i++)
        {
            ushort start = BinaryPrimitives.ReadUInt16BigEndian(v[(12 + (4 * i))..]);
            ushort end = BinaryPrimitives.ReadUInt16BigEndian(v[(14 + (4 * i))..]);
            if (start == 0 || end < start)
            {
                continue;
            }

            for (uint tsn = cum + start; SctpSerial.Le(tsn, cum + end); tsn++)
            {
                int index = (int)(tsn - Inflight[0].Tsn);
                if (index < 0 || index >= Inflight.Count)
                {
                    break;
                }

                var c = Inflight[index];
                if (!c.GapAcked)
                {
                    c.GapAcked = true;
                    c.NeedsRetransmit = false;
                    bytesAcked += c.WireSize;
                }

                if (SctpSerial.Gt(tsn, highestGapAcked))
                {
                    highestGapAcked = tsn;
                }
            }
        }

        // Section 7.2.4: three miss indications trigger one fast retransmit per chunk.
        bool fastRetransmit = false;
        foreach (var c in Inflight)
        {
            if (!SctpSerial.Lt(c.Tsn, highestGapAcked))
            {
                break;
            }

            if (!c.GapAcked && !c.NeedsRetransmit && ++c.MissIndications >= 3 && !c.FastRetransmitted)
            {
                c.NeedsRetransmit = true;
                c.FastRetransmitted = true;
                fastRetransmit = true;
            }
        }

        if (_inFastRecovery && SctpSerial.Ge(CumAckTsn, _fastRecoveryExit))
        {
            _inFastRecovery = false;
        }

        if (fastRetransmit && !_inFastRecovery)
        {
            Ssthresh = Math.Max(Cwnd / 2, 4 * _mtu);
            Cwnd = Ssthresh;
            _partialBytesAcked = 0;
            _inFastRecovery = true;
            _fastRecoveryExit = NextTsn - 1;
        }
        else if (bytesAcked > 0 && !_inFastRecovery)
        {
            if (Cwnd <= Ssthresh)
            {
                Cwnd += Math.Min(bytesAcked, _mtu); // slow start (section 7.2.1)
            }
            else
            {
                _partialBytesAcked += bytesAcked; // congestion avoidance (section 7.2.2)
                if (_partialBytesAcked >= Cwnd)
                {
                    _partialBytesAcked -= Cwnd;
                    Cwnd += _mtu;
                }
            }
        }

        int flight = FlightSize;
        PeerRwnd = arwnd > (uint)flight ? arwnd - (uint)flight : 0;
        return true;
    }

    private int _partialBytesAcked;

    /// <summary>Removes chunks up to <paramref name="cum"/>, samples RTT, restarts or stops T3. Returns bytes newly acked.</summary>
    public int ProcessCumulativeAck(uint cum)
    {
        if (!SctpSerial.Gt(cum, CumAckTsn) || SctpSerial.Ge(cum, NextTsn))
        {
            return 0;
        }

        long now = _time.GetTimestamp();
        int bytes = 0;
        while (Inflight.Count > 0 && SctpSerial.Le(Inflight[0].Tsn, cum))
        {
            var c = Inflight[0];
            if (!c.GapAcked)
            {
                bytes += c.WireSize;
            }

            if (c.Tsn == cum && c.Transmissions == 1)
            {
                SampleRtt(_time.GetElapsedTime(c.SentAt, now)); // Karn's rule: only chunks sent once
            }

            BufferedBytes -= c.Payload.Length;
            Inflight.RemoveAt(0);
        }

        CumAckTsn = cum;
        ErrorCount = 0;
        T3Deadline = Inflight.Count == 0 ? 0 : now + Ticks(Rto);
        return bytes;
    }

    /// <summary>T3-rtx expiry (section 6.3.3). Returns false when the association should be torn down.</summary>
    public bool OnT3Expired()
    {
        if (Inflight.Count == 0)
        {
            T3Deadline = 0;
            return true;
        }

        if (++ErrorCount > _options.MaxRetransmissions)
        {
            return false;
        }

        Rto = Rto * 2 > _options.RtoMax ? _options.RtoMax : Rto * 2;
        Ssthresh = Math.Max(Cwnd / 2, 4 * _mtu);
        Cwnd = _mtu;
        _partialBytesAcked = 0;
        _inFastRecovery = false;
        foreach (var c in Inflight)
        {
            if (!c.GapAcked)
            {
                c.NeedsRetransmit = true;
            }
        }

        T3Deadline = _time.GetTimestamp() + Ticks(Rto);
        return true;
    }

    public void Clear()
    {
        Pending.Clear();
        Inflight.Clear();
        BufferedBytes = 0;
        T3Deadline = 0;
    }

    private void SampleRtt(TimeSpan r)
    {
        if (!_hasRtt)
        {
            _srtt = r;
            _rttvar = r / 2;
            _hasRtt = true;
        }
        else
        {
            var delta = _srtt > r ? _srtt - r : r - _srtt;
            _rttvar = (_rttvar * 0.75) + (delta * 0.25);
            _srtt = (_srtt * 0.875) + (r * 0.125);
        }

        var rto = _srtt + (_rttvar * 4);
        Rto = rto < _options.RtoMin ? _options.RtoMin : rto > _options.RtoMax ? _options.RtoMax : rto;
    }

    private static void WriteData(ref SctpPacketWriter writer, SctpOutboundChunk c)
    {
        var v = writer.BeginChunk(SctpChunkType.Data, c.Flags, 12 + c.Payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(v, c.Tsn);
        BinaryPrimitives.WriteUInt16BigEndian(v[4..], c.Stream);
        BinaryPrimitives.WriteUInt16BigEndian(v[6..], c.Ssn);
        BinaryPrimitives.WriteUInt32BigEndian(v[8..], c.Ppid);
        c.Payload.CopyTo(v[12..]);
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}

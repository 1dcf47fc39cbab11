using System.Buffers.Binary;

namespace MediaServer.Rtc.Sctp;

/// <summary>
/// The receiving half of an association (RFC 9260 section 6.2): tracks the cumulative TSN, TSNs received above it
/// (gap blocks) and duplicates, bounds what is buffered by the advertised window, and feeds
/// <see cref="SctpReassembly"/>.
/// </summary>
internal sealed class SctpDataReceiver
{
    /// <summary>How far above the cumulative TSN a TSN may be before it is dropped (bounds memory).</summary>
    private const uint MaxTsnAhead = 65536;

    private const int MaxGapBlocks = 32;
    private const int MaxDuplicates = 16;

    private readonly SortedSet<uint> _above = new(SctpSerial.TsnComparer.Instance);
    private readonly List<uint> _duplicates = [];
    private readonly SctpReassembly _reassembly = new();
    private readonly int _window;
    private readonly int _maxMessageSize;

    public SctpDataReceiver(int window, int maxMessageSize)
    {
        _window = window;
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>Highest TSN received with no gap before it.</summary>
    public uint CumTsn { get; private set; }

    /// <summary>DATA chunks refused (malformed, outside the window, over the buffer).</summary>
    public long ChunksDropped { get; private set; }

    public void Start(uint peerInitialTsn) => CumTsn = peerInitialTsn - 1;

    /// <summary>Our advertised receive window: buffer minus what reassembly holds.</summary>
    public uint ReceiveWindow => (uint)Math.Max(0, _window - _reassembly.BufferedBytes);

    /// <summary>Handles a DATA chunk value (section 3.3.1); complete messages go to <paramref name="delivered"/>.</summary>
    public void OnData(byte flags, ReadOnlySpan<byte> value, List<(ushort Stream, uint Ppid, byte[] Data)> delivered)
    {
        if (value.Length <= 12)
        {
            ChunksDropped++; // RFC 9260 section 6.2: a DATA chunk with no user data is a protocol violation; drop it.
            return;
        }

        uint tsn = BinaryPrimitives.ReadUInt32BigEndian(value);
        if (SctpSerial.Le(tsn, CumTsn) || _above.Contains(tsn))
        {
            if (_duplicates.Count < MaxDuplicates)
            {
                _duplicates.Add(tsn);
            }

            return;
        }

        if (tsn - CumTsn > MaxTsnAhead || (_reassembly.BufferedBytes + value.Length - 12 > _window && tsn != CumTsn + 1)
            || value.Length - 12 > _maxMessageSize)
        {
            ChunksDropped++;
            return;
        }

        var chunk = new SctpInboundChunk
        {
            Tsn = tsn,
            Stream = BinaryPrimitives.ReadUInt16BigEndian(value[4..]),
            Ssn = BinaryPrimitives.ReadUInt16BigEndian(value[6..]),
            Ppid = BinaryPrimitives.ReadUInt32BigEndian(value[8..]),
            Flags = flags,
            Payload = value[12..].ToArray(),
        };
        _above.Add(tsn);
        while (_above.Count > 0 && _above.Min == CumTsn + 1)
        {
            CumTsn++;
            _above.Remove(CumTsn);
        }

        _reassembly.Add(chunk, delivered);
    }

    /// <summary>FORWARD TSN (RFC 3758 section 3.6): skip to <paramref name="newCumTsn"/>.</summary>
    public void OnForwardTsn(uint newCumTsn)
    {
        if (!SctpSerial.Gt(newCumTsn, CumTsn) || newCumTsn - CumTsn > MaxTsnAhead)
        {
            return;
        }

        CumTsn = newCumTsn;
        while (_above.Count > 0 && SctpSerial.Le(_above.Min, CumTsn))
        {
            _above.Remove(_above.Min);
        }

        while (_above.Count > 0 && _above.Min == CumTsn + 1)
        {
            CumTsn++;
            _above.Remove(CumTsn);
        }
    }

    public void ResetStream(ushort stream) => _reassembly.ResetStream(stream);

    /// <summary>Length of the SACK chunk value <see cref="WriteSack"/> will produce.</summary>
    public int SackLength => 12 + (4 * Math.Min(CountGaps(), MaxGapBlocks)) + (4 * _duplicates.Count);

    /// <summary>Writes the SACK value (section 3.3.4) and clears the duplicate list.</summary>
    public void WriteSack(Span<byte> v)
    {
        int gaps = Math.Min(CountGaps(), MaxGapBlocks);
        BinaryPrimitives.WriteUInt32BigEndian(v, CumTsn);
        BinaryPrimitives.WriteUInt32BigEndian(v[4..], ReceiveWindow);
        BinaryPrimitives.WriteUInt16BigEndian(v[8..], (ushort)gaps);
        BinaryPrimitives.WriteUInt16BigEndian(v[10..], (ushort)_duplicates.Count);
        int offset = 12, written = 0;
        uint start = 0, previous = 0;
        bool open = false;
        foreach (uint tsn in _above)
        {
            if (written == gaps)
            {
                break;
            }

            if (open && tsn == previous + 1)
            {
                previous = tsn;
                continue;
            }

            if (open)
            {
                WriteGap(v[offset..], start, previous);
                offset += 4;
                written++;
                if (written == gaps)
                {
                    open = false;
                    break;
                }
            }

            start = previous = tsn;
            open = true;
        }

        if (open && written < gaps)
        {
            WriteGap(v[offset..], start, previous);
            offset += 4;
        }

        offset = 12 + (4 * gaps);
        foreach (uint dup in _duplicates)
        {
            BinaryPrimitives.WriteUInt32BigEndian(v[offset..], dup);
            offset += 4;
        }

        _duplicates.Clear();
    }

    private void WriteGap(Span<byte> v, uint start, uint end)
    {
        BinaryPrimitives.WriteUInt16BigEndian(v, (ushort)(start - CumTsn));
        BinaryPrimitives.WriteUInt16BigEndian(v[2..], (ushort)(end - CumTsn));
    }

    private int CountGaps()
    {
        int gaps = 0;
        uint previous = 0;
        bool first = true;
        foreach (uint tsn in _above)
        {
            if (first || tsn != previous + 1)
            {
                gaps++;
            }

            previous = tsn;
            first = false;
        }

        return gaps;
    }
}

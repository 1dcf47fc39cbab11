namespace MediaServer.Rtc.Sctp;

/// <summary>
/// Reassembles fragmented user messages and delivers ordered ones per stream in SSN order (RFC 9260 section 6.5
/// and 6.9). Fragments of one message carry consecutive TSNs from the B fragment to the E fragment.
/// </summary>
internal sealed class SctpReassembly
{
    private readonly Dictionary<ushort, StreamState> _streams = [];
    private readonly List<SctpInboundChunk> _unordered = [];

    /// <summary>Payload bytes held.</summary>
    public long BufferedBytes { get; private set; }

    /// <summary>Adds a chunk and appends every message now deliverable to <paramref name="delivered"/>.</summary>
    public void Add(SctpInboundChunk chunk, List<(ushort Stream, uint Ppid, byte[] Data)> delivered)
    {
        BufferedBytes += chunk.Payload.Length;
        if (chunk.Unordered)
        {
            _unordered.Add(chunk);
            TryDeliverUnordered(delivered);
            return;
        }

        if (!_streams.TryGetValue(chunk.Stream, out var stream))
        {
            stream = new StreamState();
            _streams[chunk.Stream] = stream;
        }

        if (SctpSerial.Lt16(chunk.Ssn, stream.NextSsn))
        {
            BufferedBytes -= chunk.Payload.Length; // a message already delivered: stale fragment
            return;
        }

        if (!stream.Pending.TryGetValue(chunk.Ssn, out var fragments))
        {
            fragments = [];
            stream.Pending[chunk.Ssn] = fragments;
        }

        fragments.Add(chunk);
        while (stream.Pending.TryGetValue(stream.NextSsn, out var next) && TryAssemble(next, out var message))
        {
            stream.Pending.Remove(stream.NextSsn);
            stream.NextSsn++;
            BufferedBytes -= message.Data.Length;
            delivered.Add((chunk.Stream, message.Ppid, message.Data));
        }
    }

    /// <summary>Resets a stream's incoming SSN to 0 (RFC 6525 section 5.2.2) and drops what it held.</summary>
    public void ResetStream(ushort stream)
    {
        if (_streams.Remove(stream, out var state))
        {
            foreach (var list in state.Pending.Values)
            {
                foreach (var c in list)
                {
                    BufferedBytes -= c.Payload.Length;
                }
            }
        }
    }

    private void TryDeliverUnordered(List<(ushort Stream, uint Ppid, byte[] Data)> delivered)
    {
        _unordered.Sort((a, b) => SctpSerial.TsnComparer.Instance.Compare(a.Tsn, b.Tsn));
        for (int i = 0; i < _unordered.Count; i++)
        {
            if (!_unordered[i].Beginning)
            {
                continue;
            }

            int j = i;
            while (j < _unordered.Count && !_unordered[j].Ending && j + 1 < _unordered.Count && _unordered[j + 1].Tsn == _unordered[j].Tsn + 1
                && _unordered[j + 1].Stream == _unordered[i].Stream)
            {
                j++;
            }

            if (_unordered[j].Ending)
            {
                var run = _unordered.GetRange(i, j - i + 1);
                var data = Concat(run);
                BufferedBytes -= data.Length;
                delivered.Add((run[0].Stream, run[0].Ppid, data));
                _unordered.RemoveRange(i, j - i + 1);
                i--;
            }
        }
    }

    private static bool TryAssemble(List<SctpInboundChunk> fragments, out (uint Ppid, byte[] Data) message)
    {
        message = default;
        fragments.Sort((a, b) => SctpSerial.TsnComparer.Instance.Compare(a.Tsn, b.Tsn));
        if (!fragments[0].Beginning || !fragments[^1].Ending || fragments[^1].Tsn - fragments[0].Tsn + 1 != fragments.Count)
        {
            return false;
        }

        for (int i = 1; i < fragments.Count; i++)
        {
            if (fragments[i].Tsn != fragments[i - 1].Tsn + 1 || fragments[i].Beginning || (i < fragments.Count - 1 && fragments[i].Ending))
            {
                return false;
            }
        }

        message = (fragments[0].Ppid, Concat(fragments));
        return true;
    }

    private static byte[] Concat(List<SctpInboundChunk> fragments)
    {
        int total = 0;
        foreach (var f in fragments)
        {
            total += f.Payload.Length;
        }

        var data = new byte[total];
        int offset = 0;
        foreach (var f in fragments)
        {
            f.Payload.CopyTo(data, offset);
            offset += f.Payload.Length;
        }

        return data;
    }

    private sealed class StreamState
    {
        public ushort NextSsn;

        public SortedDictionary<ushort, List<SctpInboundChunk>> Pending { get; } = new(SctpSerial.SsnComparer.Instance);
    }
}

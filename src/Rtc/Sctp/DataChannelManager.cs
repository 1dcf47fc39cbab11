using MediaServer.Rtc.Dtls;

namespace MediaServer.Rtc.Sctp;

/// <summary>
/// Data channels on one association (RFC 8831, DCEP RFC 8832): answers DATA_CHANNEL_OPEN with ACK, opens channels
/// of ours on stream ids of our parity (even as DTLS client, odd as server), maps PPIDs to text or binary
/// messages, and closes channels on stream reset. Events fire on the association's event thread.
/// </summary>
public sealed class DataChannelManager
{
    private readonly SctpAssociation _association;
    private readonly DtlsRole _role;
    private readonly object _lock = new();
    private readonly Dictionary<ushort, DataChannel> _channels = [];
    private ushort _nextStreamId;

    /// <summary>Attaches to <paramref name="association"/>; <paramref name="role"/> picks our stream id parity.</summary>
    public DataChannelManager(SctpAssociation association, DtlsRole role)
    {
        ArgumentNullException.ThrowIfNull(association);
        _association = association;
        _role = role;
        _nextStreamId = role == DtlsRole.Client ? (ushort)0 : (ushort)1;
        association.MessageReceived += OnMessage;
        association.StreamReset += OnStreamReset;
        association.Terminated += _ =>
        {
            foreach (var channel in Snapshot())
            {
                MarkClosed(channel);
            }
        };
    }

    /// <summary>A channel became open (either side opened it).</summary>
    public event Action<DataChannel>? ChannelOpened;

    /// <summary>A text message arrived on a channel.</summary>
    public event Action<DataChannel, string>? TextReceived;

    /// <summary>A binary message arrived on a channel.</summary>
    public event Action<DataChannel, byte[]>? BinaryReceived;

    /// <summary>A channel closed.</summary>
    public event Action<DataChannel>? ChannelClosed;

    /// <summary>Messages dropped: unknown stream, bad DCEP, unknown PPID.</summary>
    public long MessagesDropped { get; private set; }

    /// <summary>The open or connecting channel with <paramref name="label"/>, or null.</summary>
    public DataChannel? Find(string label)
    {
        lock (_lock)
        {
            return _channels.Values.FirstOrDefault(c => c.Label == label && c.State is DataChannelState.Open or DataChannelState.Connecting);
        }
    }

    /// <summary>Channels known now.</summary>
    public IReadOnlyList<DataChannel> Channels => Snapshot();

    /// <summary>Opens a reliable ordered channel of ours (sends DATA_CHANNEL_OPEN). Null when the association is not up.</summary>
    public DataChannel? Open(string label, string protocol = "")
    {
        var open = new DcepOpen(DcepOpen.Reliable, 0, 0, label, protocol);
        DataChannel channel;
        lock (_lock)
        {
            while (_channels.ContainsKey(_nextStreamId))
            {
                _nextStreamId += 2;
            }

            channel = new DataChannel(this, _nextStreamId, open, DataChannelState.Connecting);
            _channels[_nextStreamId] = channel;
            _nextStreamId += 2;
        }

        if (!_association.Send(channel.StreamId, DataChannelPpid.Dcep, open.ToBytes()))
        {
            lock (_lock)
            {
                _channels.Remove(channel.StreamId);
            }

            return null;
        }

        return channel;
    }

    internal bool SendRaw(DataChannel channel, uint ppid, ReadOnlySpan<byte> data) =>
        channel.State == DataChannelState.Open && _association.Send(channel.StreamId, ppid, data, channel.Ordered);

    internal void Close(DataChannel channel)
    {
        if (channel.State is DataChannelState.Closed or DataChannelState.Closing)
        {
            return;
        }

        channel.State = DataChannelState.Closing;
        _association.ResetStream(channel.StreamId);
    }

    private void OnMessage(ushort stream, uint ppid, byte[] data)
    {
        DataChannel? channel;
        lock (_lock)
        {
            _channels.TryGetValue(stream, out channel);
        }

        if (ppid == DataChannelPpid.Dcep)
        {
            OnDcep(stream, channel, data);
            return;
        }

        if (channel is null)
        {
            MessagesDropped++;
            return;
        }

        // RFC 8832 section 6: the opener may treat the channel as open once data arrives, before the ACK.
        if (channel.State == DataChannelState.Connecting)
        {
            channel.State = DataChannelState.Open;
            ChannelOpened?.Invoke(channel);
        }

        switch (ppid)
        {
            case DataChannelPpid.String: TextReceived?.Invoke(channel, System.Text.Encoding.UTF8.GetString(data)); break;
            case DataChannelPpid.StringEmpty: TextReceived?.Invoke(channel, string.Empty); break;
            case DataChannelPpid.Binary: BinaryReceived?.Invoke(channel, data); break;
            case DataChannelPpid.BinaryEmpty: BinaryReceived?.Invoke(channel, []); break;
            default: MessagesDropped++; break;
        }
    }

    private void OnDcep(ushort stream, DataChannel? existing, byte[] data)
    {
        if (data.Length == 1 && data[0] == DcepOpen.AckType)
        {
            if (existing is { State: DataChannelState.Connecting })
            {
                existing.State = DataChannelState.Open;
                ChannelOpened?.Invoke(existing);
            }

            return;
        }

        if (!DcepOpen.TryParse(data, out var open) || existing is not null)
        {
            MessagesDropped++;
            return;
        }

        // The peer's stream id must have the peer's parity (RFC 8832 section 6).
        bool peerParity = (stream % 2 == 0) == (_role == DtlsRole.Server);
        if (!peerParity)
        {
            MessagesDropped++;
            return;
        }

        var channel = new DataChannel(this, stream, open, DataChannelState.Open);
        lock (_lock)
        {
            _channels[stream] = channel;
        }

        _association.Send(stream, DataChannelPpid.Dcep, [DcepOpen.AckType]);
        ChannelOpened?.Invoke(channel);
    }

    private void OnStreamReset(ushort stream)
    {
        DataChannel? channel;
        lock (_lock)
        {
            _channels.TryGetValue(stream, out channel);
        }

        if (channel is null)
        {
            return;
        }

        if (channel.State != DataChannelState.Closing)
        {
            // The peer closed: reset our side too so the stream id can be reused (RFC 8831 section 6.7).
            _association.ResetStream(stream);
        }

        MarkClosed(channel);
    }

    private void MarkClosed(DataChannel channel)
    {
        if (channel.State == DataChannelState.Closed)
        {
            return;
        }

        channel.State = DataChannelState.Closed;
        lock (_lock)
        {
            _channels.Remove(channel.StreamId);
        }

        ChannelClosed?.Invoke(channel);
    }

    private List<DataChannel> Snapshot()
    {
        lock (_lock)
        {
            return [.. _channels.Values];
        }
    }
}

using System.Text;

namespace MediaServer.Rtc.Sctp;

/// <summary>
/// One WebRTC data channel (RFC 8831): an SCTP stream pair with a label. Created by
/// <see cref="DataChannelManager"/> when either side opens it.
/// </summary>
public sealed class DataChannel
{
    private readonly DataChannelManager _owner;

    internal DataChannel(DataChannelManager owner, ushort streamId, DcepOpen open, DataChannelState state)
    {
        _owner = owner;
        StreamId = streamId;
        Label = open.Label;
        Protocol = open.Protocol;
        Ordered = !open.Unordered;
        State = state;
    }

    /// <summary>SCTP stream id (even for the DTLS client's channels, odd for the server's; RFC 8832 section 6).</summary>
    public ushort StreamId { get; }

    /// <summary>Label, e.g. <c>oai-events</c>.</summary>
    public string Label { get; }

    /// <summary>Sub-protocol, usually empty.</summary>
    public string Protocol { get; }

    /// <summary>Ordered delivery.</summary>
    public bool Ordered { get; }

    /// <summary>Current state.</summary>
    public DataChannelState State { get; internal set; }

    /// <summary>Sends UTF-8 text (PPID 51, or 56 for the empty string). False unless open or when the buffer is full.</summary>
    public bool SendText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return _owner.SendRaw(this, DataChannelPpid.StringEmpty, [0]);
        }

        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(max);
        try
        {
            int n = Encoding.UTF8.GetBytes(text, buffer);
            return _owner.SendRaw(this, DataChannelPpid.String, buffer.AsSpan(0, n));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends binary data (PPID 53, or 57 when empty).</summary>
    public bool SendBinary(ReadOnlySpan<byte> data) =>
        data.IsEmpty ? _owner.SendRaw(this, DataChannelPpid.BinaryEmpty, [0]) : _owner.SendRaw(this, DataChannelPpid.Binary, data);

    /// <summary>Closes the channel by resetting its outgoing stream (RFC 8831 section 6.7).</summary>
    public void Close() => _owner.Close(this);
}

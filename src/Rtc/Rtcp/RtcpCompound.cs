namespace MediaServer.Rtc.Rtcp;

/// <summary>
/// Walks the packets of a compound RTCP datagram (RFC 3550 section 6.1) and checks the framing rules of A.2:
/// every packet fits, only the last may be padded, and the first is SR or RR unless reduced-size RTCP
/// (RFC 5506) is tolerated, in which case a datagram may hold any packets (typically one feedback message).
/// </summary>
public ref struct RtcpCompound
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public RtcpCompound(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        Current = default;
        Error = RtcpParseError.None;
    }

    public RtcpPacket Current { get; private set; }

    /// <summary>Why the walk stopped early, if it did.</summary>
    public RtcpParseError Error { get; private set; }

    public bool MoveNext()
    {
        if (_offset >= _data.Length || Error != RtcpParseError.None)
        {
            return false;
        }

        var error = RtcpPacket.TryRead(_data[_offset..], out var packet);
        if (error != RtcpParseError.None)
        {
            Error = error;
            return false;
        }

        if ((_data[_offset] & 0x20) != 0 && _offset + packet.Length != _data.Length)
        {
            Error = RtcpParseError.BadPadding; // A.2: only the last packet of a compound may be padded
            return false;
        }

        Current = packet;
        _offset += packet.Length;
        return true;
    }

    /// <summary>Validates a whole datagram; false with the reason when it breaks a rule.</summary>
    public static bool Validate(ReadOnlySpan<byte> data, bool allowReducedSize, out RtcpParseError error)
    {
        var walk = new RtcpCompound(data);
        bool first = true;
        int count = 0;
        while (walk.MoveNext())
        {
            if (first && !allowReducedSize && walk.Current.PacketType is not (RtcpPacketType.SenderReport or RtcpPacketType.ReceiverReport))
            {
                error = RtcpParseError.Malformed;
                return false;
            }

            first = false;
            count++;
        }

        error = walk.Error != RtcpParseError.None ? walk.Error : count == 0 ? RtcpParseError.TooShort : RtcpParseError.None;
        return error == RtcpParseError.None;
    }
}

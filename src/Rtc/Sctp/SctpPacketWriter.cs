using System.Buffers.Binary;

namespace MediaServer.Rtc.Sctp;

/// <summary>Builds an SCTP packet chunk by chunk in a caller's buffer; <see cref="Finish"/> stamps the CRC32c.</summary>
internal ref struct SctpPacketWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    public SctpPacketWriter(Span<byte> buffer, ushort sourcePort, ushort destinationPort, uint verificationTag)
    {
        _buffer = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], verificationTag);
        buffer.Slice(8, 4).Clear();
        _length = SctpPacket.HeaderLength;
    }

    public readonly int Length => _length;

    public readonly int Remaining => _buffer.Length - _length;

    /// <summary>Room needed for a chunk with a value of <paramref name="valueLength"/> bytes.</summary>
    public static int ChunkSize(int valueLength) => (4 + valueLength + 3) & ~3;

    /// <summary>Starts a chunk and returns its value span to fill (exactly <paramref name="valueLength"/> bytes).</summary>
    public Span<byte> BeginChunk(byte type, byte flags, int valueLength)
    {
        int size = ChunkSize(valueLength);
        if (size > Remaining)
        {
            throw new InvalidOperationException("SCTP packet buffer too small.");
        }

        var chunk = _buffer.Slice(_length, size);
        chunk[0] = type;
        chunk[1] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(chunk[2..], (ushort)(4 + valueLength));
        chunk[(4 + valueLength)..].Clear();
        _length += size;
        return chunk.Slice(4, valueLength);
    }

    public void AddChunk(byte type, byte flags, ReadOnlySpan<byte> value) => value.CopyTo(BeginChunk(type, flags, value.Length));

    public readonly ReadOnlySpan<byte> Finish()
    {
        var packet = _buffer[.._length];
        SctpCrc32c.Stamp(packet);
        return packet;
    }
}

using System.Buffers.Binary;

namespace MediaServer.Rtc.Sctp;

/// <summary>
/// An SCTP packet view (RFC 9260 section 3): common header then chunks, each padded to 4 bytes.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Source Port Number        |     Destination Port Number   |
/// |                      Verification Tag                         |
/// |                           Checksum                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Chunk Type  | Chunk  Flags  |        Chunk Length           |
/// |                          Chunk Value                          |
/// </code>
/// </summary>
public readonly ref struct SctpPacket
{
    /// <summary>Bound on chunks per packet.</summary>
    public const int MaxChunks = 64;

    /// <summary>Common header length.</summary>
    public const int HeaderLength = 12;

    private readonly ReadOnlySpan<byte> _bytes;

    private SctpPacket(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>Source port.</summary>
    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes);

    /// <summary>Destination port.</summary>
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    /// <summary>Verification tag.</summary>
    public uint VerificationTag => BinaryPrimitives.ReadUInt32BigEndian(_bytes[4..]);

    /// <summary>The chunks.</summary>
    public SctpChunkEnumerator Chunks => new(_bytes[HeaderLength..]);

    /// <summary>Validates checksum and chunk layout; never throws.</summary>
    public static SctpParseError TryParse(ReadOnlySpan<byte> bytes, out SctpPacket packet, bool verifyChecksum = true)
    {
        packet = default;
        if (bytes.Length < HeaderLength)
        {
            return SctpParseError.TooShort;
        }

        if (verifyChecksum && !SctpCrc32c.Verify(bytes))
        {
            return SctpParseError.BadChecksum;
        }

        int offset = HeaderLength, count = 0;
        bool control = false;
        while (offset < bytes.Length)
        {
            if (offset + 4 > bytes.Length)
            {
                // Trailing padding of fewer than 4 bytes is tolerated only if zero.
                if (bytes[offset..].IndexOfAnyExcept((byte)0) >= 0)
                {
                    return SctpParseError.BadChunkLength;
                }

                break;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 2)..]);
            if (length < 4 || offset + length > bytes.Length)
            {
                return SctpParseError.BadChunkLength;
            }

            byte type = bytes[offset];
            control |= type is SctpChunkType.Init or SctpChunkType.InitAck or SctpChunkType.ShutdownComplete;
            if (++count > MaxChunks)
            {
                return SctpParseError.TooManyChunks;
            }

            offset += (length + 3) & ~3;
        }

        if (count == 0)
        {
            return SctpParseError.NoChunks;
        }

        if (control && count > 1)
        {
            return SctpParseError.BadBundling;
        }

        packet = new SctpPacket(bytes);
        return SctpParseError.None;
    }
}

/// <summary>One chunk: type, flags and value (without the 4-byte chunk header).</summary>
public readonly ref struct SctpChunk
{
    internal SctpChunk(byte type, byte flags, ReadOnlySpan<byte> value)
    {
        Type = type;
        Flags = flags;
        Value = value;
    }

    /// <summary>Chunk type (<see cref="SctpChunkType"/>).</summary>
    public byte Type { get; }

    /// <summary>Chunk flags.</summary>
    public byte Flags { get; }

    /// <summary>Chunk value.</summary>
    public ReadOnlySpan<byte> Value { get; }
}

/// <summary>Enumerates a validated packet's chunks.</summary>
public ref struct SctpChunkEnumerator
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _offset;

    internal SctpChunkEnumerator(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _offset = 0;
        Current = default;
    }

    /// <summary>The current chunk.</summary>
    public SctpChunk Current { get; private set; }

    /// <summary>For foreach.</summary>
    public readonly SctpChunkEnumerator GetEnumerator() => this;

    /// <summary>Advances.</summary>
    public bool MoveNext()
    {
        if (_offset + 4 > _bytes.Length)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(_bytes[(_offset + 2)..]);
        if (length < 4 || _offset + length > _bytes.Length)
        {
            return false;
        }

        Current = new SctpChunk(_bytes[_offset], _bytes[_offset + 1], _bytes.Slice(_offset + 4, length - 4));
        _offset += (length + 3) & ~3;
        return true;
    }
}

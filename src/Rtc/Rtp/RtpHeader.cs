using System.Buffers.Binary;

namespace MediaServer.Rtc.Rtp;

/// <summary>
/// The fixed RTP header plus its CSRC list and the header-extension profile (RFC 3550 section 5.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A value type with inline CSRC storage so that reading and writing headers never allocates.
/// </summary>
public struct RtpHeader
{
    /// <summary>Size of the fixed part of the header.</summary>
    public const int FixedLength = 12;

    private RtpCsrcList _csrcs;
    private byte _csrcCount;

    /// <summary>The marker bit (start of a talkspurt for audio, RFC 3551 section 4.1).</summary>
    public bool Marker { get; set; }

    /// <summary>7-bit payload type.</summary>
    public byte PayloadType { get; set; }

    public ushort SequenceNumber { get; set; }

    public uint Timestamp { get; set; }

    public uint Ssrc { get; set; }

    /// <summary>Number of CSRC identifiers (0..15).</summary>
    public readonly int CsrcCount => _csrcCount;

    /// <summary>True when the X bit is (or will be) set.</summary>
    public bool HasExtension { get; set; }

    /// <summary>The 16-bit "defined by profile" field: 0xBEDE for RFC 8285 one-byte, 0x100x for two-byte.</summary>
    public ushort ExtensionProfile { get; set; }

    /// <summary>Returns CSRC number <paramref name="index"/>.</summary>
    public readonly uint GetCsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, (int)_csrcCount);
        return _csrcs[index];
    }

    /// <summary>Replaces the CSRC list (at most 15 entries, RFC 3550 section 5.1).</summary>
    public void SetCsrcs(ReadOnlySpan<uint> csrcs)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(csrcs.Length, RtpCsrcList.MaxCount, nameof(csrcs));
        csrcs.CopyTo(_csrcs);
        _csrcCount = (byte)csrcs.Length;
    }

    /// <summary>Bytes of the fixed header plus CSRCs (the extension is not included).</summary>
    public readonly int LengthWithCsrcs => FixedLength + (4 * _csrcCount);

    /// <summary>
    /// Reads the fixed header and CSRC list. <paramref name="consumed"/> is the offset where the extension (if any)
    /// or the payload begins.
    /// </summary>
    internal static RtpParseError TryReadFixed(ReadOnlySpan<byte> data, out RtpHeader header, out int consumed)
    {
        header = default;
        consumed = 0;
        if (data.Length < FixedLength)
        {
            return RtpParseError.TooShort;
        }

        byte b0 = data[0];
        if (b0 >> 6 != 2)
        {
            return RtpParseError.BadVersion;
        }

        int cc = b0 & 0x0F;
        int length = FixedLength + (4 * cc);
        if (data.Length < length)
        {
            return RtpParseError.CsrcTruncated;
        }

        header.HasExtension = (b0 & 0x10) != 0;
        header.Marker = (data[1] & 0x80) != 0;
        header.PayloadType = (byte)(data[1] & 0x7F);
        header.SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        header.Timestamp = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        header.Ssrc = BinaryPrimitives.ReadUInt32BigEndian(data[8..]);
        header._csrcCount = (byte)cc;
        for (int i = 0; i < cc; i++)
        {
            header._csrcs[i] = BinaryPrimitives.ReadUInt32BigEndian(data[(FixedLength + (4 * i))..]);
        }

        consumed = length;
        return RtpParseError.None;
    }

    /// <summary>Writes V, P, X, CC, M, PT, sequence, timestamp, SSRC and CSRCs; returns bytes written.</summary>
    internal readonly int WriteFixed(Span<byte> dst, bool padding)
    {
        int length = LengthWithCsrcs;
        if (dst.Length < length)
        {
            throw new ArgumentException("Destination too small for the RTP header.", nameof(dst));
        }

        dst[0] = (byte)(0x80 | (padding ? 0x20 : 0) | (HasExtension ? 0x10 : 0) | _csrcCount);
        dst[1] = (byte)((Marker ? 0x80 : 0) | (PayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(dst[2..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(dst[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(dst[8..], Ssrc);
        for (int i = 0; i < _csrcCount; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(dst[(FixedLength + (4 * i))..], _csrcs[i]);
        }

        return length;
    }
}

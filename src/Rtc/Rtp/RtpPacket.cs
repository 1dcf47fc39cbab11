using System.Buffers.Binary;

namespace MediaServer.Rtc.Rtp;

/// <summary>
/// An RTP packet (RFC 3550 section 5.1) as a view over bytes: the header, the RFC 8285 extension block's
/// element bytes, the payload and the padding count. Reading never copies or allocates; writing serialises into a
/// caller's buffer.
/// <code>
/// | fixed header | CSRCs | profile | length | extension elements | payload | padding ... count |
/// </code>
/// </summary>
public readonly ref struct RtpPacket
{
    private readonly RtpHeader _header;

    public RtpPacket(scoped in RtpHeader header, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> extension = default, int paddingLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(paddingLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(paddingLength, 255);
        if ((extension.Length & 3) != 0)
        {
            throw new ArgumentException("Extension block must be a multiple of 4 bytes.", nameof(extension));
        }

        _header = header;
        if (!extension.IsEmpty || header.HasExtension)
        {
            _header.HasExtension = true;
        }

        Payload = payload;
        Extension = extension;
        PaddingLength = paddingLength;
    }

    public RtpHeader Header => _header;

    public bool Marker => _header.Marker;

    public byte PayloadType => _header.PayloadType;

    public ushort SequenceNumber => _header.SequenceNumber;

    public uint Timestamp => _header.Timestamp;

    public uint Ssrc => _header.Ssrc;

    /// <summary>The media payload, padding excluded.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The extension elements (after the 4-byte profile/length word), empty when X is clear.</summary>
    public ReadOnlySpan<byte> Extension { get; }

    /// <summary>Padding bytes after the payload, including the count byte itself (0 when P is clear).</summary>
    public int PaddingLength { get; }

    /// <summary>Bytes before the payload: fixed header, CSRCs and extension block.</summary>
    public int HeaderLength => _header.LengthWithCsrcs + (_header.HasExtension ? 4 + Extension.Length : 0);

    /// <summary>Total serialised length.</summary>
    public int Length => HeaderLength + Payload.Length + PaddingLength;

    /// <summary>Reads a packet; false for anything that is not well-formed RTP (never throws).</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtpPacket packet) => TryRead(data, out packet, out _);

    /// <summary>Reads a packet and says why it was rejected.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtpPacket packet, out RtpParseError error)
    {
        packet = default;
        error = RtpHeader.TryReadFixed(data, out RtpHeader header, out int offset);
        if (error != RtpParseError.None)
        {
            return false;
        }

        ReadOnlySpan<byte> extension = default;
        if (header.HasExtension)
        {
            if (data.Length < offset + 4)
            {
                error = RtpParseError.ExtensionTruncated;
                return false;
            }

            header.ExtensionProfile = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            int words = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            offset += 4;
            if (data.Length - offset < words * 4)
            {
                error = RtpParseError.ExtensionTruncated;
                return false;
            }

            extension = data.Slice(offset, words * 4);
            offset += words * 4;
        }

        int padding = 0;
        if ((data[0] & 0x20) != 0)
        {
            padding = offset < data.Length ? data[^1] : 0;
            if (padding == 0 || padding > data.Length - offset)
            {
                error = RtpParseError.BadPadding;
                return false;
            }
        }

        packet = new RtpPacket(header, data[offset..^padding], extension, padding, trusted: true);
        return true;
    }

    private RtpPacket(scoped in RtpHeader header, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> extension, int paddingLength, bool trusted)
    {
        _ = trusted;
        _header = header;
        Payload = payload;
        Extension = extension;
        PaddingLength = paddingLength;
    }

    /// <summary>The header extension elements (RFC 8285), in order.</summary>
    public RtpHeaderExtensionEnumerator GetExtensions() => new(_header.ExtensionProfile, Extension);

    /// <summary>Finds the first extension element with local identifier <paramref name="id"/>.</summary>
    public bool TryGetExtension(int id, out ReadOnlySpan<byte> value)
    {
        foreach (var element in GetExtensions())
        {
            if (element.Id == id)
            {
                value = element.Data;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Serialises the packet; false (nothing written) when <paramref name="dst"/> is too small.</summary>
    public bool TryWrite(Span<byte> dst, out int written)
    {
        written = Length;
        if (dst.Length < written)
        {
            written = 0;
            return false;
        }

        int offset = _header.WriteFixed(dst, PaddingLength > 0);
        if (_header.HasExtension)
        {
            BinaryPrimitives.WriteUInt16BigEndian(dst[offset..], _header.ExtensionProfile);
            BinaryPrimitives.WriteUInt16BigEndian(dst[(offset + 2)..], (ushort)(Extension.Length / 4));
            Extension.CopyTo(dst[(offset + 4)..]);
            offset += 4 + Extension.Length;
        }

        Payload.CopyTo(dst[offset..]);
        offset += Payload.Length;
        if (PaddingLength > 0)
        {
            dst.Slice(offset, PaddingLength - 1).Clear();
            dst[offset + PaddingLength - 1] = (byte)PaddingLength;
        }

        return true;
    }

    /// <summary>Serialises the packet and returns its length; throws when <paramref name="dst"/> is too small.</summary>
    public int Write(Span<byte> dst)
    {
        if (!TryWrite(dst, out int written))
        {
            throw new ArgumentException("Destination too small for the RTP packet.", nameof(dst));
        }

        return written;
    }

    /// <summary>
    /// Writes only the fixed header and CSRCs (no extension, no padding) so a packetiser can encode the payload in
    /// place right after it; returns the header length.
    /// </summary>
    public static int WriteHeader(in RtpHeader header, Span<byte> dst)
    {
        var plain = header;
        plain.HasExtension = false;
        return plain.WriteFixed(dst, padding: false);
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MediaServer.Rtc.Stun;

/// <summary>
/// A parsed STUN message over the datagram's bytes (RFC 8489 section 5), without copying or allocating.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Transaction ID (96 bits)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Attributes are TLVs padded to 4 bytes (section 14). <see cref="TryParse"/> checks the whole layout once;
/// lookups then scan the (few) attributes.
/// </summary>
public readonly ref struct StunMessage
{
    /// <summary>RFC 8489 section 5 magic cookie.</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>Header size in bytes.</summary>
    public const int HeaderLength = 20;

    /// <summary>Bound on attributes per message; ICE checks carry fewer than ten.</summary>
    public const int MaxAttributes = 32;

    /// <summary>XOR applied to the CRC-32 in FINGERPRINT (section 14.7): "STUN" in ASCII.</summary>
    public const uint FingerprintXor = 0x5354554e;

    private readonly ReadOnlySpan<byte> _bytes;

    private StunMessage(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>The message type (<see cref="StunMessageType"/>).</summary>
    public ushort Type => BinaryPrimitives.ReadUInt16BigEndian(_bytes);

    /// <summary>The 12-byte transaction id.</summary>
    public ReadOnlySpan<byte> TransactionId => _bytes.Slice(8, 12);

    /// <summary>The whole message.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>
    /// Cheap first check (RFC 7983 section 7: first byte 0..3; RFC 8489: cookie at offset 4).
    /// </summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderLength && datagram[0] < 4 && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie;

    /// <summary>Parses and validates <paramref name="datagram"/>; never throws.</summary>
    public static StunParseError TryParse(ReadOnlySpan<byte> datagram, out StunMessage message)
    {
        message = default;
        if (datagram.Length < HeaderLength)
        {
            return StunParseError.TooShort;
        }

        if ((datagram[0] & 0xC0) != 0)
        {
            return StunParseError.NotStun;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != MagicCookie)
        {
            return StunParseError.BadMagicCookie;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((length & 3) != 0 || HeaderLength + length != datagram.Length)
        {
            return StunParseError.BadLength;
        }

        int offset = HeaderLength, count = 0;
        bool sawIntegrity = false, sawFingerprint = false;
        while (offset < datagram.Length)
        {
            if (offset + 4 > datagram.Length)
            {
                return StunParseError.TruncatedAttribute;
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            int padded = (valueLength + 3) & ~3;
            if (offset + 4 + padded > datagram.Length)
            {
                return StunParseError.TruncatedAttribute;
            }

            if (++count > MaxAttributes)
            {
                return StunParseError.TooManyAttributes;
            }

            if (sawFingerprint || (sawIntegrity && type != StunAttributeType.Fingerprint && type != StunAttributeType.MessageIntegritySha256))
            {
                return StunParseError.AttributeAfterIntegrity;
            }

            sawIntegrity |= type == StunAttributeType.MessageIntegrity;
            sawFingerprint |= type == StunAttributeType.Fingerprint;
            offset += 4 + padded;
        }

        message = new StunMessage(datagram);
        return StunParseError.None;
    }

    /// <summary>Finds an attribute's value; false when absent.</summary>
    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value) => TryFind(type, out value, out _);

    /// <summary>True when the attribute is present (for flag attributes such as USE-CANDIDATE).</summary>
    public bool HasAttribute(ushort type) => TryFind(type, out _, out _);

    /// <summary>USERNAME as UTF-8 bytes, or empty.</summary>
    public ReadOnlySpan<byte> Username => TryGetAttribute(StunAttributeType.Username, out var v) ? v : default;

    /// <summary>USERNAME decoded (allocates; for logs and tests).</summary>
    public string UsernameString => Encoding.UTF8.GetString(Username);

    /// <summary>PRIORITY, if present and 4 bytes.</summary>
    public bool TryGetPriority(out uint priority)
    {
        priority = 0;
        if (TryGetAttribute(StunAttributeType.Priority, out var v) && v.Length == 4)
        {
            priority = BinaryPrimitives.ReadUInt32BigEndian(v);
            return true;
        }

        return false;
    }

    /// <summary>The 64-bit tie-breaker of ICE-CONTROLLING or ICE-CONTROLLED.</summary>
    public bool TryGetTieBreaker(ushort attributeType, out ulong tieBreaker)
    {
        tieBreaker = 0;
        if (TryGetAttribute(attributeType, out var v) && v.Length == 8)
        {
            tieBreaker = BinaryPrimitives.ReadUInt64BigEndian(v);
            return true;
        }

        return false;
    }

    /// <summary>ERROR-CODE as class*100+number (section 14.8).</summary>
    public bool TryGetErrorCode(out int code)
    {
        code = 0;
        if (TryGetAttribute(StunAttributeType.ErrorCode, out var v) && v.Length >= 4)
        {
            code = ((v[2] & 0x7) * 100) + v[3];
            return true;
        }

        return false;
    }

    /// <summary>XOR-MAPPED-ADDRESS decoded (section 14.2), IPv4 or IPv6.</summary>
    public bool TryGetXorMappedAddress(out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (!TryGetAttribute(StunAttributeType.XorMappedAddress, out var v) || v.Length < 8)
        {
            return false;
        }

        int port = BinaryPrimitives.ReadUInt16BigEndian(v[2..]) ^ (int)(MagicCookie >> 16);
        Span<byte> address = stackalloc byte[16];
        int addressLength = v[1] switch { 1 => 4, 2 => 16, _ => 0 };
        if (addressLength == 0 || v.Length < 4 + addressLength)
        {
            return false;
        }

        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, MagicCookie);
        TransactionId.CopyTo(mask[4..]);
        for (int i = 0; i < addressLength; i++)
        {
            address[i] = (byte)(v[4 + i] ^ mask[i]);
        }

        endPoint = new IPEndPoint(new IPAddress(address[..addressLength]), port);
        return true;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY (section 14.5): HMAC-SHA1 keyed with <paramref name="key"/> (the ICE password for
    /// short-term credentials) over the message up to the attribute, with the header length covering it.
    /// False when the attribute is absent or wrong.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (!TryFind(StunAttributeType.MessageIntegrity, out var mac, out int attributeOffset) || mac.Length != 20)
        {
            return false;
        }

        Span<byte> computed = stackalloc byte[20];
        ComputeIntegrity(_bytes[..attributeOffset], key, computed);
        return CryptographicOperations.FixedTimeEquals(computed, mac);
    }

    /// <summary>Checks FINGERPRINT (section 14.7); false when absent or wrong.</summary>
    public bool VerifyFingerprint()
    {
        if (!TryFind(StunAttributeType.Fingerprint, out var value, out int attributeOffset) || value.Length != 4)
        {
            return false;
        }

        uint expected = BinaryPrimitives.ReadUInt32BigEndian(value);
        return ComputeFingerprint(_bytes[..attributeOffset]) == expected;
    }

    /// <summary>HMAC-SHA1 over <paramref name="prefix"/> with its length field set as if the 24-byte MI attribute followed.</summary>
    internal static void ComputeIntegrity(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
        Span<byte> header = stackalloc byte[4];
        prefix[..4].CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(prefix.Length - HeaderLength + 24));
        hmac.AppendData(header);
        hmac.AppendData(prefix[4..]);
        hmac.GetHashAndReset(destination);
    }

    /// <summary>CRC-32 XOR "STUN" over <paramref name="prefix"/> with the length covering the 8-byte FINGERPRINT.</summary>
    internal static uint ComputeFingerprint(ReadOnlySpan<byte> prefix)
    {
        // The length field must include the FINGERPRINT attribute itself; patch a copy of the header only.
        Span<byte> header = stackalloc byte[4];
        prefix[..4].CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(prefix.Length - HeaderLength + 8));
        uint crc = StunCrc32.Append(StunCrc32.Append(0, header), prefix[4..]);
        return crc ^ FingerprintXor;
    }

    private bool TryFind(ushort type, out ReadOnlySpan<byte> value, out int attributeOffset)
    {
        int offset = HeaderLength;
        while (offset + 4 <= _bytes.Length)
        {
            ushort t = BinaryPrimitives.ReadUInt16BigEndian(_bytes[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(_bytes[(offset + 2)..]);
            if (t == type)
            {
                value = _bytes.Slice(offset + 4, length);
                attributeOffset = offset;
                return true;
            }

            offset += 4 + ((length + 3) & ~3);
        }

        value = default;
        attributeOffset = 0;
        return false;
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.Rtc.Stun;

/// <summary>
/// Writes a STUN message into a caller's buffer (RFC 8489 section 5 and 14), attribute by attribute, keeping the
/// header length current. Add MESSAGE-INTEGRITY then FINGERPRINT last, in that order (section 14.5, 14.7).
/// </summary>
public ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    /// <summary>Starts a message of <paramref name="type"/> with <paramref name="transactionId"/> (12 bytes).</summary>
    public StunMessageWriter(Span<byte> buffer, ushort type, ReadOnlySpan<byte> transactionId)
    {
        if (buffer.Length < StunMessage.HeaderLength || transactionId.Length != 12)
        {
            throw new ArgumentException("Buffer under 20 bytes or transaction id not 12 bytes.");
        }

        _buffer = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, type);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.CopyTo(buffer[8..]);
        _length = StunMessage.HeaderLength;
        UpdateLength();
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _length;

    /// <summary>The message written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    /// <summary>Adds a TLV attribute, zero-padded to 4 bytes.</summary>
    public void AddAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        int padded = (value.Length + 3) & ~3;
        if (_length + 4 + padded > _buffer.Length)
        {
            throw new ArgumentException("STUN buffer too small.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_length..], type);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_length + 2)..], (ushort)value.Length);
        value.CopyTo(_buffer[(_length + 4)..]);
        _buffer.Slice(_length + 4 + value.Length, padded - value.Length).Clear();
        _length += 4 + padded;
        UpdateLength();
    }

    /// <summary>Adds a 32-bit attribute (PRIORITY).</summary>
    public void AddUInt32(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v, value);
        AddAttribute(type, v);
    }

    /// <summary>Adds a 64-bit attribute (ICE-CONTROLLING / ICE-CONTROLLED tie-breaker).</summary>
    public void AddUInt64(ushort type, ulong value)
    {
        Span<byte> v = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(v, value);
        AddAttribute(type, v);
    }

    /// <summary>Adds ERROR-CODE (section 14.8) with a reason phrase.</summary>
    public void AddErrorCode(int code, string reason)
    {
        Span<byte> v = stackalloc byte[4 + 128];
        v[..2].Clear();
        v[2] = (byte)(code / 100);
        v[3] = (byte)(code % 100);
        int n = System.Text.Encoding.UTF8.GetBytes(reason.AsSpan(0, Math.Min(reason.Length, 100)), v[4..]);
        AddAttribute(StunAttributeType.ErrorCode, v[..(4 + n)]);
    }

    /// <summary>Adds XOR-MAPPED-ADDRESS (section 14.2) for <paramref name="endPoint"/>.</summary>
    public void AddXorMappedAddress(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        bool v6 = endPoint.AddressFamily == AddressFamily.InterNetworkV6;
        int addressLength = v6 ? 16 : 4;
        Span<byte> v = stackalloc byte[20];
        v[0] = 0;
        v[1] = v6 ? (byte)2 : (byte)1;
        BinaryPrimitives.WriteUInt16BigEndian(v[2..], (ushort)(endPoint.Port ^ (int)(StunMessage.MagicCookie >> 16)));
        endPoint.Address.TryWriteBytes(v.Slice(4, addressLength), out _);
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
        _buffer.Slice(8, 12).CopyTo(mask[4..]);
        for (int i = 0; i < addressLength; i++)
        {
            v[4 + i] ^= mask[i];
        }

        AddAttribute(StunAttributeType.XorMappedAddress, v[..(4 + addressLength)]);
    }

    /// <summary>Adds MESSAGE-INTEGRITY keyed with <paramref name="key"/> (section 14.5).</summary>
    public void AddMessageIntegrity(ReadOnlySpan<byte> key)
    {
        Span<byte> mac = stackalloc byte[20];
        StunMessage.ComputeIntegrity(_buffer[.._length], key, mac);
        AddAttribute(StunAttributeType.MessageIntegrity, mac);
    }

    /// <summary>Adds FINGERPRINT (section 14.7); must be last.</summary>
    public void AddFingerprint()
    {
        uint crc = StunMessage.ComputeFingerprint(_buffer[.._length]);
        AddUInt32(StunAttributeType.Fingerprint, crc);
    }

    private readonly void UpdateLength() =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunMessage.HeaderLength));
}

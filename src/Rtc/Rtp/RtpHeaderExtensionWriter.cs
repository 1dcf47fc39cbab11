namespace MediaServer.Rtc.Rtp;

/// <summary>
/// Builds the element bytes of an RFC 8285 extension block in a caller's buffer. The result (see
/// <see cref="Finish"/>) is what <see cref="RtpPacket"/> takes as its extension, with <see cref="Profile"/> as the
/// header's extension profile. Choose the two-byte form when an id is above 14, a value is empty or longer than
/// 16 bytes (section 4.3), or let <see cref="ForElements"/> decide.
/// </summary>
public ref struct RtpHeaderExtensionWriter
{
    private readonly Span<byte> _dst;
    private readonly bool _twoByte;
    private int _length;

    public RtpHeaderExtensionWriter(Span<byte> dst, bool twoByte)
    {
        _dst = dst;
        _twoByte = twoByte;
        _length = 0;
    }

    /// <summary>The profile value to put in the RTP header for this form.</summary>
    public readonly ushort Profile => _twoByte ? RtpHeaderExtensionProfile.TwoByte : RtpHeaderExtensionProfile.OneByte;

    /// <summary>True when an element with this id and value length needs the two-byte form.</summary>
    public static bool NeedsTwoByte(int id, int length) => id > 14 || length == 0 || length > 16;

    /// <summary>Adds one element; false when it does not fit or is not representable in this form.</summary>
    public bool TryAdd(int id, ReadOnlySpan<byte> value)
    {
        if (id < 1 || id > 255)
        {
            return false;
        }

        if (!_twoByte)
        {
            if (NeedsTwoByte(id, value.Length) || _length + 1 + value.Length > _dst.Length)
            {
                return false;
            }

            _dst[_length] = (byte)((id << 4) | (value.Length - 1));
            value.CopyTo(_dst[(_length + 1)..]);
            _length += 1 + value.Length;
            return true;
        }

        if (value.Length > 255 || _length + 2 + value.Length > _dst.Length)
        {
            return false;
        }

        _dst[_length] = (byte)id;
        _dst[_length + 1] = (byte)value.Length;
        value.CopyTo(_dst[(_length + 2)..]);
        _length += 2 + value.Length;
        return true;
    }

    /// <summary>Pads with zero bytes to a 32-bit boundary and returns the element bytes.</summary>
    public Span<byte> Finish()
    {
        int padded = (_length + 3) & ~3;
        if (padded > _dst.Length)
        {
            throw new InvalidOperationException("No room to pad the extension block to 32 bits.");
        }

        _dst[_length..padded].Clear();
        _length = padded;
        return _dst[..padded];
    }
}

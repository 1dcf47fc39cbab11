namespace MediaServer.Rtc.Rtp;

/// <summary>
/// Walks the elements of an RFC 8285 extension block without allocating. Unknown profiles yield nothing (the
/// block is then opaque to us, RFC 3550 section 5.3.1). Malformed elements end the walk silently: a receiver must
/// ignore what it cannot parse rather than drop the packet (RFC 8285 section 4.1.2).
/// </summary>
public ref struct RtpHeaderExtensionEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _form; // 0 = none, 1 = one-byte, 2 = two-byte
    private int _offset;
    private RtpHeaderExtension _current;

    internal RtpHeaderExtensionEnumerator(ushort profile, ReadOnlySpan<byte> data)
    {
        _data = data;
        _form = profile == RtpHeaderExtensionProfile.OneByte ? 1 : RtpHeaderExtensionProfile.IsTwoByte(profile) ? 2 : 0;
        _offset = 0;
        _current = default;
    }

    public readonly RtpHeaderExtension Current => _current;

    public readonly RtpHeaderExtensionEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_offset < _data.Length && _form != 0)
        {
            byte first = _data[_offset];
            if (first == 0)
            {
                _offset++; // padding byte between or after elements
                continue;
            }

            if (_form == 1)
            {
                int id = first >> 4;
                if (id == 15)
                {
                    // Section 4.2: ID 15 is reserved; the rest of the block must not be processed.
                    _offset = _data.Length;
                    return false;
                }

                int length = (first & 0x0F) + 1;
                if (_offset + 1 + length > _data.Length)
                {
                    _offset = _data.Length;
                    return false;
                }

                _current = new RtpHeaderExtension((byte)id, _data.Slice(_offset + 1, length));
                _offset += 1 + length;
                return true;
            }

            if (_offset + 2 > _data.Length)
            {
                _offset = _data.Length;
                return false;
            }

            int len2 = _data[_offset + 1];
            if (_offset + 2 + len2 > _data.Length)
            {
                _offset = _data.Length;
                return false;
            }

            _current = new RtpHeaderExtension(first, _data.Slice(_offset + 2, len2));
            _offset += 2 + len2;
            return true;
        }

        return false;
    }
}

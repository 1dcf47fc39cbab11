using System.Buffers.Binary;

namespace MediaServer.Rtc.Dtmf;

/// <summary>
/// One RFC 4733 named telephone event payload (section 2.3).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     event     |E|R| volume    |          duration             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
/// <param name="Event">Event code: 0-9, 10 '*', 11 '#', 12-15 'A'-'D', 16 flash (RFC 4733 section 3.2).</param>
/// <param name="End">The E bit: this packet ends the event (it is sent three times).</param>
/// <param name="Volume">Power level in -dBm0, 0..63 (section 2.3.4).</param>
/// <param name="Duration">Duration so far, in RTP timestamp units from the event's timestamp (section 2.3.5).</param>
public readonly record struct TelephoneEvent(byte Event, bool End, byte Volume, ushort Duration)
{
    /// <summary>Size of one event block.</summary>
    public const int Length = 4;

    /// <summary>
    /// Reads the event block at the start of <paramref name="payload"/>; false when it is shorter than 4 bytes.
    /// The R bit is ignored as section 2.3.3 asks; extra trailing bytes are tolerated.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out TelephoneEvent value)
    {
        if (payload.Length < Length)
        {
            value = default;
            return false;
        }

        value = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F), BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    /// <summary>Writes the 4-byte block; returns 4.</summary>
    public int Write(Span<byte> payload)
    {
        if (payload.Length < Length)
        {
            throw new ArgumentException("A telephone event needs 4 bytes.", nameof(payload));
        }

        payload[0] = Event;
        payload[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(payload[2..], Duration);
        return Length;
    }

    /// <summary>The DTMF character of an event code, or '\0' for codes that are not DTMF.</summary>
    public static char ToDigit(byte eventCode) => eventCode switch
    {
        <= 9 => (char)('0' + eventCode),
        10 => '*',
        11 => '#',
        >= 12 and <= 15 => (char)('A' + (eventCode - 12)),
        _ => '\0',
    };

    /// <summary>The event code of a DTMF character (0-9, *, #, A-D, case-insensitive); false otherwise.</summary>
    public static bool TryGetCode(char digit, out byte eventCode)
    {
        switch (digit)
        {
            case >= '0' and <= '9':
                eventCode = (byte)(digit - '0');
                return true;
            case '*':
                eventCode = 10;
                return true;
            case '#':
                eventCode = 11;
                return true;
            case >= 'A' and <= 'D':
                eventCode = (byte)(12 + (digit - 'A'));
                return true;
            case >= 'a' and <= 'd':
                eventCode = (byte)(12 + (digit - 'a'));
                return true;
            default:
                eventCode = 0;
                return false;
        }
    }
}

using System.Buffers.Binary;
using System.Numerics;

namespace MediaServer.Rtc.Sctp;

/// <summary>
/// CRC32c (Castagnoli) for the SCTP checksum (RFC 9260 section 6.8 and appendix A), computed with the hardware
/// CRC32C instruction where the CPU has one (<see cref="BitOperations.Crc32C(uint, ulong)"/>). The checksum field
/// is zero while computing and the result is stored least significant byte first, as every stack does.
/// </summary>
public static class SctpCrc32c
{
    /// <summary>CRC32c of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        }

        for (; i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return ~crc;
    }

    /// <summary>Computes the packet checksum with the field zeroed and writes it at offset 8.</summary>
    public static void Stamp(Span<byte> packet)
    {
        packet.Slice(8, 4).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(packet[8..], Compute(packet));
    }

    /// <summary>True when the checksum at offset 8 matches (the packet is not modified).</summary>
    public static bool Verify(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 12)
        {
            return false;
        }

        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(packet[8..]);
        uint crc = 0xFFFFFFFF;
        crc = Step(crc, packet[..8]);
        crc = Step(crc, [0, 0, 0, 0]);
        crc = Step(crc, packet[12..]);
        return ~crc == expected;
    }

    private static uint Step(uint crc, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        }

        for (; i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return crc;
    }
}

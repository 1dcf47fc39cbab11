using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace MediaServer.Rtc.Srtp;

/// <summary>
/// AES in counter mode as SRTP defines it (RFC 3711 section 4.1.1): keystream block j = AES(k, IV + j) with a
/// 16-bit block counter in the IV's last two bytes; the keystream is XORed onto the data. Counter blocks are built
/// in a scratch buffer and encrypted with one ECB call (AES-NI through .NET), so nothing is allocated.
/// </summary>
internal static class AesCounterMode
{
    /// <summary>XORs the keystream for <paramref name="iv"/> onto <paramref name="data"/>.</summary>
    /// <param name="scratch">At least <c>data.Length</c> rounded up to 16 bytes.</param>
    public static void Apply(Aes aes, ReadOnlySpan<byte> iv, Span<byte> data, Span<byte> scratch)
    {
        int blocks = (data.Length + 15) / 16;
        var counters = scratch[..(blocks * 16)];
        FillCounters(iv, counters, blocks);
        aes.EncryptEcb(counters, counters, PaddingMode.None);
        Xor(data, counters);
    }

    /// <summary>
    /// Same, with a reusable ECB encryptor: the one-shot <see cref="SymmetricAlgorithm.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/>
    /// creates a cipher context per call, the transform keeps one, so the per-packet path allocates nothing.
    /// </summary>
    public static void Apply(ICryptoTransform ecb, ReadOnlySpan<byte> iv, Span<byte> data, byte[] scratch)
    {
        int blocks = (data.Length + 15) / 16;
        FillCounters(iv, scratch.AsSpan(0, blocks * 16), blocks);
        ecb.TransformBlock(scratch, 0, blocks * 16, scratch, 0);
        Xor(data, scratch);
    }

    private static void FillCounters(ReadOnlySpan<byte> iv, Span<byte> counters, int blocks)
    {
        ushort start = BinaryPrimitives.ReadUInt16BigEndian(iv[14..]);
        for (int j = 0; j < blocks; j++)
        {
            var block = counters.Slice(j * 16, 16);
            iv[..14].CopyTo(block);
            BinaryPrimitives.WriteUInt16BigEndian(block[14..], (ushort)(start + j));
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> counters)
    {
        int i = 0;
        int vectorSize = Vector<byte>.Count;
        for (; i + vectorSize <= data.Length; i += vectorSize)
        {
            var x = new Vector<byte>(data[i..]) ^ new Vector<byte>(counters[i..]);
            x.CopyTo(data[i..]);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= counters[i];
        }
    }
}

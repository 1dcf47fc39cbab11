namespace MediaServer.Rtc.Codecs;

/// <summary>
/// ITU-T G.711 µ-law (PCMU, RTP payload type 0) and A-law (PCMA, payload type 8) companding, table driven.
/// </summary>
/// <remarks>
/// Encoding looks the sample up in a table indexed by its top 14 (µ-law) or 13 (A-law) bits: that is exactly the
/// precision G.711 defines its segments on, so the tables are lossless stand-ins for the segment search and the
/// hot path is one shift and one load per sample. The tables are built once from the G.711 segment definitions
/// (Table 1a/1b and 2a/2b of the Recommendation) at type initialisation. Decoding is one 256-entry load.
/// Decoded values are on the 16-bit scale (µ-law peaks at ±32124, A-law at ±32256).
/// </remarks>
public static class G711
{
    private const int MuLawBias = 0x84;
    private const int MuLawClip = 32635;

    private static readonly byte[] s_muLawEncode = BuildMuLawEncodeTable();
    private static readonly byte[] s_aLawEncode = BuildALawEncodeTable();
    private static readonly short[] s_muLawDecode = BuildMuLawDecodeTable();
    private static readonly short[] s_aLawDecode = BuildALawDecodeTable();

    /// <summary>Encodes linear PCM to µ-law; <paramref name="dst"/> must hold <c>pcm.Length</c> bytes.</summary>
    public static void MuLawEncode(ReadOnlySpan<short> pcm, Span<byte> dst)
    {
        if (dst.Length < pcm.Length)
        {
            throw new ArgumentException("Destination is shorter than the input.", nameof(dst));
        }

        byte[] table = s_muLawEncode;
        for (int i = 0; i < pcm.Length; i++)
        {
            dst[i] = table[(ushort)pcm[i] >> 2];
        }
    }

    /// <summary>Decodes µ-law to linear PCM; <paramref name="pcm"/> must hold <c>src.Length</c> samples.</summary>
    public static void MuLawDecode(ReadOnlySpan<byte> src, Span<short> pcm)
    {
        if (pcm.Length < src.Length)
        {
            throw new ArgumentException("Destination is shorter than the input.", nameof(pcm));
        }

        short[] table = s_muLawDecode;
        for (int i = 0; i < src.Length; i++)
        {
            pcm[i] = table[src[i]];
        }
    }

    /// <summary>Encodes linear PCM to A-law; <paramref name="dst"/> must hold <c>pcm.Length</c> bytes.</summary>
    public static void ALawEncode(ReadOnlySpan<short> pcm, Span<byte> dst)
    {
        if (dst.Length < pcm.Length)
        {
            throw new ArgumentException("Destination is shorter than the input.", nameof(dst));
        }

        byte[] table = s_aLawEncode;
        for (int i = 0; i < pcm.Length; i++)
        {
            dst[i] = table[(ushort)pcm[i] >> 3];
        }
    }

    /// <summary>Decodes A-law to linear PCM; <paramref name="pcm"/> must hold <c>src.Length</c> samples.</summary>
    public static void ALawDecode(ReadOnlySpan<byte> src, Span<short> pcm)
    {
        if (pcm.Length < src.Length)
        {
            throw new ArgumentException("Destination is shorter than the input.", nameof(pcm));
        }

        short[] table = s_aLawDecode;
        for (int i = 0; i < src.Length; i++)
        {
            pcm[i] = table[src[i]];
        }
    }

    /// <summary>Encodes one sample to µ-law.</summary>
    public static byte MuLawEncode(short sample) => s_muLawEncode[(ushort)sample >> 2];

    /// <summary>Decodes one µ-law byte.</summary>
    public static short MuLawDecode(byte code) => s_muLawDecode[code];

    /// <summary>Encodes one sample to A-law.</summary>
    public static byte ALawEncode(short sample) => s_aLawEncode[(ushort)sample >> 3];

    /// <summary>Decodes one A-law byte.</summary>
    public static short ALawDecode(byte code) => s_aLawDecode[code];

    /// <summary>µ-law by the G.711 definition: bias 132, eight segments, 4 mantissa bits, all bits inverted.</summary>
    internal static byte MuLawEncodeReference(short sample)
    {
        int value = sample;
        int sign = 0;
        if (value < 0)
        {
            // Magnitude of a negative sample, on the same 14-bit grid the table uses (one's complement: -1 -> 0).
            value = -value - 1;
            sign = 0x80;
        }

        value &= ~3; // 14-bit input precision
        if (value > MuLawClip)
        {
            value = MuLawClip;
        }

        value += MuLawBias;
        int exponent = 7;
        for (int mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        int mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>A-law by the G.711 definition: 13-bit input, segment 0 and 1 linear, even bits inverted (0x55).</summary>
    internal static byte ALawEncodeReference(short sample)
    {
        int value = sample >> 3; // 13-bit input precision
        int mask;
        if (value >= 0)
        {
            mask = 0xD5;
        }
        else
        {
            mask = 0x55;
            value = -value - 1;
        }

        int segment = 0;
        while (segment < 8 && value > ((0x20 << segment) - 1))
        {
            segment++;
        }

        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        int code = segment << 4;
        code |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return (byte)(code ^ mask);
    }

    private static short MuLawDecodeReference(byte code)
    {
        int u = ~code & 0xFF;
        int t = ((u & 0x0F) << 3) + MuLawBias;
        t <<= (u & 0x70) >> 4;
        return (short)((u & 0x80) != 0 ? MuLawBias - t : t - MuLawBias);
    }

    private static short ALawDecodeReference(byte code)
    {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        switch (segment)
        {
            case 0:
                t += 8;
                break;
            case 1:
                t += 0x108;
                break;
            default:
                t += 0x108;
                t <<= segment - 1;
                break;
        }

        return (short)((a & 0x80) != 0 ? t : -t);
    }

    private static byte[] BuildMuLawEncodeTable()
    {
        var table = new byte[1 << 14];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = MuLawEncodeReference(unchecked((short)(i << 2)));
        }

        return table;
    }

    private static byte[] BuildALawEncodeTable()
    {
        var table = new byte[1 << 13];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = ALawEncodeReference(unchecked((short)(i << 3)));
        }

        return table;
    }

    private static short[] BuildMuLawDecodeTable()
    {
        var table = new short[256];
        for (int i = 0; i < 256; i++)
        {
            table[i] = MuLawDecodeReference((byte)i);
        }

        return table;
    }

    private static short[] BuildALawDecodeTable()
    {
        var table = new short[256];
        for (int i = 0; i < 256; i++)
        {
            table[i] = ALawDecodeReference((byte)i);
        }

        return table;
    }
}

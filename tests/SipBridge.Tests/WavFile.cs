using System.Buffers.Binary;

namespace MediaServer.SipBridge.Tests;

/// <summary>Reads the 16-bit stereo WAVs the call recorder writes.</summary>
internal static class WavFile
{
    public static (short[] Left, short[] Right) ReadStereo(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(b, 0, 4));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(22)));
        int dataBytes = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(40));
        Assert.Equal(b.Length - 44, dataBytes);
        int frames = dataBytes / 4;
        var left = new short[frames];
        var right = new short[frames];
        for (int i = 0; i < frames; i++)
        {
            left[i] = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(44 + (4 * i)));
            right[i] = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(46 + (4 * i)));
        }

        return (left, right);
    }

    public static int FirstLoudSample(short[] s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (Math.Abs((int)s[i]) > 2000)
            {
                return i;
            }
        }

        return -1;
    }
}

using System.Buffers.Binary;

namespace MediaServer.Rtc.Tests.NetworkSimulation;

/// <summary>
/// Speech used by the media tests: flite's "slt" voice saying "The quick brown fox jumps over the lazy dog. Call
/// me back at five five five, one two three four." (made with <c>flite -voice slt -t ... -o x.wav</c> then
/// <c>sox x.wav -r 48000 -c 1 -b 16 speech-48k.wav</c>, and the same at 8 kHz), committed under TestData.
/// </summary>
internal static class TestAudio
{
    private static readonly Lazy<short[]> s_speech48k = new(() => ReadWav("speech-48k.wav"));
    private static readonly Lazy<short[]> s_speech8k = new(() => ReadWav("speech-8k.wav"));

    public static short[] Speech48k => s_speech48k.Value;

    public static short[] Speech8k => s_speech8k.Value;

    public static string TestDataDirectory => Path.Combine(TestPaths.RepositoryRoot, "tests", "Rtc.Tests", "TestData");

    /// <summary>Reads a 16-bit PCM mono RIFF/WAVE file.</summary>
    public static short[] ReadWav(string name)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(TestDataDirectory, name));
        int offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(bytes, offset, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            if (id == "data")
            {
                int count = Math.Min(size, bytes.Length - offset - 8) / 2;
                var samples = new short[count];
                for (int i = 0; i < count; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(offset + 8 + (2 * i)));
                }

                return samples;
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{name} has no data chunk.");
    }

    /// <summary>A tone for tests that want a pure periodic signal.</summary>
    public static short[] Sine(int sampleRate, double frequency, double seconds, double amplitude = 8000)
    {
        var s = new short[(int)(sampleRate * seconds)];
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = (short)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }

        return s;
    }
}

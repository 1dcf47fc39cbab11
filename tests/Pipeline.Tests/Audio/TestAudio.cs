using MediaServer.Pipeline.Audio;

namespace MediaServer.Pipeline.Tests.Audio;

/// <summary>Real speech for tests: the shared model folder (jfk.wav) and utterances synthesised with Debian's flite.</summary>
internal static class TestAudio
{
    /// <summary>The shared models folder: env MEDIASERVER_SHARED_MODELS, else ../shared/models beside the solution.</summary>
    public static string SharedModels => TestPaths.SharedModels;

    public static string SileroModelPath => Path.Combine(SharedModels, "silero-vad", "silero_vad.onnx");

    /// <summary>jfk.wav: 11 s of 16 kHz speech.</summary>
    public static short[] Jfk16k() => ReadWav(Path.Combine(SharedModels, "jfk-wav", "jfk.wav"), out _);

    /// <summary>Speaks <paramref name="text"/> with flite's slt voice and returns it at <paramref name="rate"/>.</summary>
    public static short[] Flite(string text, int rate = 16000)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pipeline-tests-{Guid.NewGuid():N}.wav");
        try
        {
            ToolProcess.Run("flite", "-voice", "slt", "-t", text, "-o", path);
            short[] samples = ReadWav(path, out int fileRate);
            return fileRate == rate ? samples : Resample(samples, fileRate, rate);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static short[] Resample(short[] samples, int from, int to)
    {
        IResampler resampler = Resampler.Create(from, to);
        var output = new short[resampler.MaxOutputSamples(samples.Length)];
        int n = resampler.Process(samples, output);
        return output.AsSpan(0, n).ToArray();
    }

    /// <summary>Concatenates pieces of audio.</summary>
    public static short[] Concat(params short[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Adds <paramref name="b"/> into <paramref name="a"/> (same length or shorter), saturating.</summary>
    public static short[] Mix(short[] a, short[] b)
    {
        var result = (short[])a.Clone();
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            result[i] = (short)Math.Clamp(a[i] + b[i], short.MinValue, short.MaxValue);
        }

        return result;
    }

    /// <summary>Reads a 16-bit mono PCM WAV file (the RIFF chunks this project's fixtures use).</summary>
    public static short[] ReadWav(string path, out int sampleRate)
    {
        byte[] bytes = File.ReadAllBytes(path);
        sampleRate = 0;
        int offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(bytes, offset, 4);
            int size = BitConverter.ToInt32(bytes, offset + 4);
            if (id == "fmt ")
            {
                Assert.Equal(1, BitConverter.ToInt16(bytes, offset + 8)); // PCM
                Assert.Equal(1, BitConverter.ToInt16(bytes, offset + 10)); // mono
                sampleRate = BitConverter.ToInt32(bytes, offset + 12);
                Assert.Equal(16, BitConverter.ToInt16(bytes, offset + 22));
            }
            else if (id == "data")
            {
                int length = Math.Min(size, bytes.Length - offset - 8);
                var samples = new short[length / 2];
                Pcm16.ToShorts(bytes.AsSpan(offset + 8, length), samples);
                return samples;
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"No data chunk in {path}.");
    }
}

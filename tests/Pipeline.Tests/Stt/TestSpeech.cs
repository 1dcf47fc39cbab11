using System.Diagnostics;

namespace MediaServer.Pipeline.Tests.Stt;

/// <summary>Makes test utterances with Debian's flite command (slt voice, 16 kHz) and reads WAV files.</summary>
internal static class TestSpeech
{
    /// <summary>Runs <c>flite -voice slt -t text -o file.wav</c> and returns the samples at 16 kHz.</summary>
    public static short[] Flite(string text, string voice = "slt")
    {
        var path = Path.Combine(Path.GetTempPath(), $"flite-{Guid.NewGuid():N}.wav");
        try
        {
            var start = new ProcessStartInfo("flite") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "-voice", voice, "-t", text, "-o", path }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            var (rate, samples) = ReadWav(File.ReadAllBytes(path));
            Assert.Equal(16_000, rate); // slt, rms, awb are 16 kHz voices; nothing to convert.
            return samples;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Reads a 16-bit mono PCM RIFF/WAVE file.</summary>
    public static (int SampleRate, short[] Samples) ReadWav(byte[] file)
    {
        var span = file.AsSpan();
        Assert.True(span[..4].SequenceEqual("RIFF"u8) && span.Slice(8, 4).SequenceEqual("WAVE"u8), "not a WAVE file");
        var offset = 12;
        var rate = 0;
        while (offset + 8 <= span.Length)
        {
            var id = span.Slice(offset, 4);
            var size = BitConverter.ToInt32(file, offset + 4);
            if (id.SequenceEqual("fmt "u8))
            {
                Assert.Equal(1, BitConverter.ToInt16(file, offset + 8)); // PCM
                Assert.Equal(1, BitConverter.ToInt16(file, offset + 10)); // mono
                rate = BitConverter.ToInt32(file, offset + 12);
                Assert.Equal(16, BitConverter.ToInt16(file, offset + 22));
            }
            else if (id.SequenceEqual("data"u8))
            {
                size = Math.Min(size, span.Length - offset - 8);
                var samples = new short[size / 2];
                Buffer.BlockCopy(file, offset + 8, samples, 0, samples.Length * 2);
                return (rate, samples);
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException("no data chunk");
    }

    /// <summary>Root mean square of the samples (full scale 32768).</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty) return 0;
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Lower-case words without punctuation.</summary>
    public static string[] Words(string text) =>
        text.ToLowerInvariant().Split([' ', ',', '.', '?', '!', '\'', '-'], StringSplitOptions.RemoveEmptyEntries);
}

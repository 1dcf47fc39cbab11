namespace MediaServer.Pipeline.Tests.Audio;

/// <summary>Signal generation and single-frequency measurement shared by the audio and VAD tests.</summary>
internal static class ToneAnalysis
{
    public static short[] Sine(int rate, double frequency, double amplitude, int count, double phase = 0)
    {
        var samples = new short[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = (short)Math.Round(amplitude * 32767 * Math.Sin((2 * Math.PI * frequency * i / rate) + phase));
        }

        return samples;
    }

    /// <summary>White noise, uniform in [-amplitude, amplitude] of full scale, from a fixed seed.</summary>
    public static short[] Noise(int count, double amplitude, int seed)
    {
        var random = new Random(seed);
        var samples = new short[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = (short)Math.Round(((random.NextDouble() * 2) - 1) * amplitude * 32767);
        }

        return samples;
    }

    /// <summary>
    /// Least-squares fit of a sinusoid at <paramref name="frequency"/>: returns its amplitude (fraction of full scale)
    /// and the RMS of everything else relative to the fitted tone's RMS, in dB (noise plus distortion plus any
    /// frequency error). Use whole numbers of cycles for exact results.
    /// </summary>
    public static (double Amplitude, double ResidualDb) Fit(ReadOnlySpan<short> samples, int rate, double frequency)
    {
        double ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            double w = 2 * Math.PI * frequency * i / rate;
            double s = Math.Sin(w), c = Math.Cos(w);
            ss += s * s;
            cc += c * c;
            sc += s * c;
            ys += samples[i] * s;
            yc += samples[i] * c;
        }

        double det = (ss * cc) - (sc * sc);
        double a = ((ys * cc) - (yc * sc)) / det;
        double b = ((yc * ss) - (ys * sc)) / det;
        double residual = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            double w = 2 * Math.PI * frequency * i / rate;
            double e = samples[i] - (a * Math.Sin(w)) - (b * Math.Cos(w));
            residual += e * e;
        }

        double amplitude = Math.Sqrt((a * a) + (b * b));
        double toneRms = amplitude / Math.Sqrt(2);
        double residualRms = Math.Sqrt(residual / samples.Length);
        return (amplitude / 32767, 20 * Math.Log10(Math.Max(residualRms, 1e-9) / toneRms));
    }

    /// <summary>Goertzel magnitude at one frequency, as the amplitude of a sinusoid (fraction of full scale).</summary>
    public static double Goertzel(ReadOnlySpan<short> samples, int rate, double frequency)
    {
        double coefficient = 2 * Math.Cos(2 * Math.PI * frequency / rate);
        double s1 = 0, s2 = 0;
        foreach (short x in samples)
        {
            double s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        double power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return Math.Max(2 * Math.Sqrt(Math.Max(power, 0)) / samples.Length / 32767, 1e-9);
    }

    public static double ToDb(double ratio) => 20 * Math.Log10(Math.Max(ratio, 1e-12));

    /// <summary>Runs a whole signal through a resampler in 20 ms frames, as the pipeline does.</summary>
    public static short[] ResampleInFrames(MediaServer.Pipeline.Audio.IResampler resampler, short[] input)
    {
        int frame = MediaServer.Pipeline.Audio.AudioConstants.SamplesPerFrame(resampler.InputRate);
        var output = new List<short>();
        var scratch = new short[resampler.MaxOutputSamples(frame)];
        for (int offset = 0; offset < input.Length; offset += frame)
        {
            int n = Math.Min(frame, input.Length - offset);
            int written = resampler.Process(input.AsSpan(offset, n), scratch);
            output.AddRange(scratch.AsSpan(0, written));
        }

        return [.. output];
    }
}

namespace MediaServer.Pipeline.Expressive;

/// <summary>
/// Renders non-verbal tags as real sounds, synthesised in code so they need no recordings and come out the same
/// every time (fixed-seed noise): breathy filtered noise under an envelope for <see cref="NonVerbalKind.Breathe"/> and
/// <see cref="NonVerbalKind.Sigh"/> (a sigh adds a faint falling voiced "ah"), a nasal voiced hum for
/// <see cref="NonVerbalKind.Hmm"/>, four aspirated voiced "ha" bursts of falling pitch for
/// <see cref="NonVerbalKind.Laugh"/>, a rattling noise onset and a low "hm" for <see cref="NonVerbalKind.ClearThroat"/>,
/// and a sharp decaying noise burst for <see cref="NonVerbalKind.Cough"/>. Voiced parts are sums of harmonics weighted
/// by formant resonances (a source-filter model); each sound is normalised to a fixed peak so it is audible at the
/// same level as speech. Durations (see <see cref="Duration"/>) are between 300 and 800 ms.
/// </summary>
public static class NonVerbalSounds
{
    /// <summary>How long <paramref name="kind"/> lasts at any sample rate.</summary>
    public static TimeSpan Duration(NonVerbalKind kind) => TimeSpan.FromMilliseconds(kind switch
    {
        NonVerbalKind.Sigh => 700,
        NonVerbalKind.Laugh => 800,
        NonVerbalKind.Hmm => 450,
        NonVerbalKind.Breathe => 500,
        NonVerbalKind.ClearThroat => 450,
        NonVerbalKind.Cough => 320,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown non-verbal sound."),
    });

    /// <summary>
    /// The sound as 16-bit mono PCM at <paramref name="sampleRate"/> (8 to 48 kHz), scaled by
    /// <paramref name="volume"/> (1 = speech level; clamped to 0..2).
    /// </summary>
    public static short[] Render(NonVerbalKind kind, int sampleRate, double volume = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8_000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, 48_000);
        _ = Duration(kind);
        // Synthesis costs a few milliseconds (a sum of harmonics per sample); a session's rates are few, so each
        // (sound, rate) is rendered once and copied with the gain applied.
        var unit = Cache.GetOrAdd((kind, sampleRate), static key => Synthesize(key.Kind, key.Rate));
        var gain = Math.Clamp(double.IsFinite(volume) ? volume : 1, 0, 2);
        var pcm = new short[unit.Length];
        for (var i = 0; i < unit.Length; i++) pcm[i] = (short)Math.Clamp(Math.Round(unit[i] * gain), short.MinValue, short.MaxValue);
        return pcm;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(NonVerbalKind Kind, int Rate), short[]> Cache = new();

    private static short[] Synthesize(NonVerbalKind kind, int sampleRate)
    {
        var length = (int)Math.Round(Duration(kind).TotalSeconds * sampleRate);
        var signal = new double[length];
        var noise = new NoiseSource(0x9E3779B9u ^ (uint)kind);
        double peak;
        switch (kind)
        {
            case NonVerbalKind.Breathe:
                RenderBreath(signal, sampleRate, noise);
                peak = 0.22;
                break;
            case NonVerbalKind.Sigh:
                RenderSigh(signal, sampleRate, noise);
                peak = 0.3;
                break;
            case NonVerbalKind.Hmm:
                RenderHum(signal, sampleRate);
                peak = 0.45;
                break;
            case NonVerbalKind.Laugh:
                RenderLaugh(signal, sampleRate, noise);
                peak = 0.5;
                break;
            case NonVerbalKind.ClearThroat:
                RenderClearThroat(signal, sampleRate, noise);
                peak = 0.45;
                break;
            default:
                RenderCough(signal, sampleRate, noise);
                peak = 0.55;
                break;
        }

        return ToPcm(signal, peak);
    }

    /// <summary>An inhalation: noise shaped by high resonances, swelling and fading.</summary>
    private static void RenderBreath(double[] output, int rate, NoiseSource noise)
    {
        var f1 = new Resonator(rate, 1_700, 900);
        var f2 = new Resonator(rate, 3_000, 1_200);
        for (var i = 0; i < output.Length; i++)
        {
            var t = (double)i / output.Length;
            var x = noise.Next();
            output[i] = (f1.Process(x) + 0.6 * f2.Process(x)) * Math.Pow(Math.Sin(Math.PI * t), 1.5);
        }
    }

    /// <summary>An exhalation with a faint falling "ah": quick swell, long fade.</summary>
    private static void RenderSigh(double[] output, int rate, NoiseSource noise)
    {
        var f1 = new Resonator(rate, 700, 400);
        var f2 = new Resonator(rate, 1_200, 500);
        var voice = new Voice(rate, [(700, 130), (1_100, 150), (2_600, 250)], tilt: 1.2);
        var attack = 0.12 * rate;
        for (var i = 0; i < output.Length; i++)
        {
            var t = (double)i / output.Length;
            var envelope = i < attack ? RaisedCosine(i / attack) : Math.Pow(1 - (i - attack) / (output.Length - attack), 1.3);
            var x = noise.Next();
            var breath = f1.Process(x) + 0.8 * f2.Process(x);
            var voiced = voice.Next(200 - 80 * t);
            output[i] = envelope * (breath + 0.25 * voiced);
        }
    }

    /// <summary>A closed-mouth hum: low nasal formant, steep spectral tilt, slight rise and fall of pitch.</summary>
    private static void RenderHum(double[] output, int rate)
    {
        var voice = new Voice(rate, [(250, 100), (2_200, 300)], tilt: 1.5);
        var attack = 0.04 * rate;
        var release = 0.1 * rate;
        for (var i = 0; i < output.Length; i++)
        {
            var t = (double)i / output.Length;
            var f0 = 130 + 15 * Math.Sin(Math.PI * t) - 10 * t;
            output[i] = Envelope(i, output.Length, attack, release) * voice.Next(f0);
        }
    }

    /// <summary>"ha-ha-ha-ha": each burst an aspirated onset then an open vowel, pitch stepping down.</summary>
    private static void RenderLaugh(double[] output, int rate, NoiseSource noise)
    {
        const int Bursts = 4;
        var voice = new Voice(rate, [(750, 120), (1_200, 140), (2_500, 250)], tilt: 1.0);
        var breath = new Resonator(rate, 1_500, 1_500);
        var period = output.Length / Bursts;
        var burst = (int)(0.15 * rate);
        var aspiration = (int)(0.025 * rate);
        for (var i = 0; i < output.Length; i++)
        {
            var n = Math.Min(i / period, Bursts - 1);
            var j = i - n * period;
            var h = breath.Process(noise.Next());
            var v = voice.Next(260 - 15 * n);
            if (j >= burst)
            {
                output[i] = 0;
                continue;
            }

            var envelope = j < aspiration ? 0 : Envelope(j - aspiration, burst - aspiration, 0.01 * rate, 0.06 * rate);
            var hEnvelope = j < aspiration ? RaisedCosine((double)j / aspiration) : Math.Max(0, 1 - (double)(j - aspiration) / aspiration);
            output[i] = envelope * v + 0.5 * hEnvelope * h;
        }
    }

    /// <summary>"ahem": a rattling low noise onset, then a low voiced "hm" with a rough amplitude.</summary>
    private static void RenderClearThroat(double[] output, int rate, NoiseSource noise)
    {
        var rattle = new Resonator(rate, 400, 500);
        var voice = new Voice(rate, [(300, 120), (1_000, 200)], tilt: 1.4);
        var split = (int)(0.12 * rate);
        for (var i = 0; i < output.Length; i++)
        {
            var time = (double)i / rate;
            var r = rattle.Process(noise.Next());
            if (i < split)
            {
                output[i] = r * RaisedCosine((double)i / split) * (0.6 + 0.4 * Math.Sin(2 * Math.PI * 30 * time));
            }
            else
            {
                var k = i - split;
                var envelope = Envelope(k, output.Length - split, 0.02 * rate, 0.12 * rate);
                output[i] = envelope * voice.Next(110 - 10.0 * k / (output.Length - split)) * (0.8 + 0.2 * Math.Sin(2 * Math.PI * 23 * time));
            }
        }
    }

    /// <summary>A sharp broadband burst that decays quickly, voiced at its start.</summary>
    private static void RenderCough(double[] output, int rate, NoiseSource noise)
    {
        var f1 = new Resonator(rate, 500, 400);
        var f2 = new Resonator(rate, 1_500, 700);
        var voice = new Voice(rate, [(500, 150), (1_500, 200)], tilt: 1.2);
        var attack = 0.005 * rate;
        var tau = 0.07 * rate;
        for (var i = 0; i < output.Length; i++)
        {
            var x = noise.Next();
            var envelope = i < attack ? i / attack : Math.Exp(-(i - attack) / tau);
            var tail = Math.Min(1, (output.Length - i) / (0.02 * rate));
            var voiced = i < 0.1 * rate ? 0.4 * voice.Next(180) : 0;
            output[i] = envelope * tail * (f1.Process(x) + f2.Process(x) + voiced);
        }
    }

    private static double RaisedCosine(double x) => 0.5 - 0.5 * Math.Cos(Math.PI * Math.Clamp(x, 0, 1));

    /// <summary>Raised-cosine attack and release around a flat middle.</summary>
    private static double Envelope(int i, int length, double attack, double release)
    {
        if (i < attack) return RaisedCosine(i / attack);
        var left = length - i;
        return left < release ? RaisedCosine(left / release) : 1;
    }

    private static short[] ToPcm(double[] signal, double peakFraction)
    {
        var max = 0.0;
        foreach (var s in signal) max = Math.Max(max, Math.Abs(s));
        var scale = max > 0 ? peakFraction * short.MaxValue / max : 0;
        var pcm = new short[signal.Length];
        for (var i = 0; i < signal.Length; i++) pcm[i] = (short)Math.Clamp(Math.Round(signal[i] * scale), short.MinValue, short.MaxValue);
        return pcm;
    }

    /// <summary>xorshift32: deterministic across runtimes, unlike <see cref="Random"/>'s unspecified algorithm.</summary>
    private sealed class NoiseSource(uint seed)
    {
        private uint _state = seed == 0 ? 1 : seed;

        public double Next()
        {
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            return _state / (double)uint.MaxValue * 2 - 1;
        }
    }

    /// <summary>Two-pole resonator (a formant): centre frequency and bandwidth in Hz; clamped below Nyquist.</summary>
    private sealed class Resonator
    {
        private readonly double _gain, _b1, _b2;
        private double _y1, _y2;

        public Resonator(int rate, double frequency, double bandwidth)
        {
            frequency = Math.Min(frequency, 0.45 * rate);
            var r = Math.Exp(-Math.PI * bandwidth / rate);
            _b1 = 2 * r * Math.Cos(2 * Math.PI * frequency / rate);
            _b2 = -r * r;
            _gain = 1 - r;
        }

        public double Process(double x)
        {
            var y = _gain * x + _b1 * _y1 + _b2 * _y2;
            _y2 = _y1;
            _y1 = y;
            return y;
        }
    }

    /// <summary>A voiced source: harmonics of a varying f0 up to 4 kHz, weighted by formants and a spectral tilt.</summary>
    private sealed class Voice(int rate, (double Frequency, double Bandwidth)[] formants, double tilt)
    {
        private const int MaxHarmonics = 40;
        private readonly double[] _phase = new double[MaxHarmonics + 1];
        private readonly double _limit = Math.Min(4_000, 0.45 * rate);

        public double Next(double f0)
        {
            var sum = 0.0;
            for (var k = 1; k <= MaxHarmonics && k * f0 < _limit; k++)
            {
                var f = k * f0;
                _phase[k] += 2 * Math.PI * f / rate;
                if (_phase[k] > 2 * Math.PI) _phase[k] -= 2 * Math.PI;
                var weight = 0.0;
                foreach (var (frequency, bandwidth) in formants)
                {
                    var d = (f - frequency) / bandwidth;
                    weight += 1 / (1 + d * d);
                }

                // Fade harmonics out towards the limit so one entering or leaving as f0 glides makes no click.
                var edge = Math.Min(1, (_limit - f) / 300);
                sum += Math.Sin(_phase[k]) * edge * (0.15 + weight) / Math.Pow(k, tilt);
            }

            return sum;
        }
    }
}
